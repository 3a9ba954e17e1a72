/** Facts about the workflow run, from the variables the runner sets. */
export interface RunContext {
  eventName: string;
  eventPath?: string;
  /** `owner/repo`, when running on GitHub. */
  owner?: string;
  repo?: string;
  serverUrl: string;
  apiUrl: string;
  runId: string;
  runUrl?: string;
  tempDir: string;
}

export function runContext(env: NodeJS.ProcessEnv, fallbackTemp: string): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID || `local-${Date.now().toString(36)}`;
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    eventPath: env.GITHUB_EVENT_PATH || undefined,
    owner: owner || undefined,
    repo: repo || undefined,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runId,
    runUrl: owner && repo && env.GITHUB_RUN_ID ? `${serverUrl}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    tempDir: env.RUNNER_TEMP || fallbackTemp,
  };
}
