import { readFileSync } from 'node:fs';
import { z } from 'zod';

const repositoryPayload = z.object({ repository: z.object({ default_branch: z.string().min(1) }) });

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
  /** The repository's default branch, as the event payload names it. */
  defaultBranch?: string;
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
    defaultBranch: env.GITHUB_EVENT_PATH ? defaultBranchOf(env.GITHUB_EVENT_PATH) : undefined,
  };
}

/** actions/checkout does not set origin/HEAD, so the payload is the reliable source. */
function defaultBranchOf(eventPath: string): string | undefined {
  try {
    const parsed = repositoryPayload.safeParse(JSON.parse(readFileSync(eventPath, 'utf8')));
    return parsed.success ? parsed.data.repository.default_branch : undefined;
  } catch {
    return undefined;
  }
}
