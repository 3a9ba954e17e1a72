import * as core from '@actions/core';
import type { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** How many times a rate-limited request is tried again before it fails. */
const RATE_LIMIT_RETRIES = 2;

/**
 * Octokit with GitHub's own retry (5xx) and throttling (primary and
 * secondary rate limits, honouring retry-after) plugins.
 *
 * Loaded lazily, and with GITHUB_EVENT_PATH hidden while it loads:
 * @actions/github parses the event payload at import time (for its `context`,
 * which we do not use), so a malformed payload would otherwise crash the
 * program before it could report anything. We parse and validate the payload
 * ourselves, with errors that name it.
 */
/** `baseUrl` comes from the run's context (GITHUB_API_URL as run() was given it), never from this process's environment. */
export async function createOctokit(opts: { token: string; baseUrl: string }): Promise<Octokit> {
  const eventPath = process.env.GITHUB_EVENT_PATH;
  delete process.env.GITHUB_EVENT_PATH;
  let github: typeof import('@actions/github');
  try {
    github = await import('@actions/github');
  } finally {
    if (eventPath !== undefined) process.env.GITHUB_EVENT_PATH = eventPath;
  }
  return github.getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl,
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          core.info(`GitHub rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
          return retryCount < RATE_LIMIT_RETRIES;
        },
        onSecondaryRateLimit: (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
          core.info(`GitHub secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s`);
          return retryCount < RATE_LIMIT_RETRIES;
        },
      },
      retry: { doNotRetry: [400, 401, 403, 404, 422, 451] },
    },
    retry,
    throttling,
  );
}
