import { readFileSync } from 'node:fs';
import { z } from 'zod';

// Each field on its own: a payload without `repository` still has its `ref`.
const eventFacts = z.object({
  repository: z
    .object({ default_branch: z.string().min(1) })
    .optional()
    .catch(undefined),
  ref: z.string().min(1).optional().catch(undefined),
});

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
  /** The ref the workflow runs on (`refs/heads/feature`): GITHUB_REF, else the payload's `ref`. */
  ref?: string;
}

export function runContext(env: NodeJS.ProcessEnv, fallbackTemp: string): RunContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID || `local-${Date.now().toString(36)}`;
  const facts = env.GITHUB_EVENT_PATH ? eventFactsOf(env.GITHUB_EVENT_PATH) : undefined;
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
    defaultBranch: facts?.repository?.default_branch,
    ref: env.GITHUB_REF || facts?.ref,
  };
}

/** actions/checkout does not set origin/HEAD, so the payload is the reliable source of the default branch. */
function eventFactsOf(eventPath: string): z.infer<typeof eventFacts> | undefined {
  try {
    const parsed = eventFacts.safeParse(JSON.parse(readFileSync(eventPath, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
