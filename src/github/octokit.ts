import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** How many times a rate-limited request is tried again before it fails. */
const RATE_LIMIT_RETRIES = 2;

/**
 * Octokit with GitHub's own retry (5xx) and throttling (primary and
 * secondary rate limits, honouring retry-after) plugins, so every GitHub
 * call in the run is resilient without hand-written backoff.
 */
export function createOctokit(opts: { token: string; baseUrl?: string }): Octokit {
  return getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
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
