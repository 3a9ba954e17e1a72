import type { Octokit } from './octokit.js';

/** Request options that are routing, not text a person will read; the token is in `headers` and must stay whole. */
const ROUTING = new Set(['method', 'url', 'baseUrl', 'headers', 'request', 'mediaType']);

/**
 * Every request to GitHub — comment, reaction, PR title and body, labels,
 * GraphQL variables — leaves with its text redacted: one hook on the client
 * instead of a redact call beside each request.
 */
export function redactRequests(octokit: Octokit, redact: <T>(value: T) => T): void {
  octokit.hook.before('request', (options) => {
    const params = options as unknown as Record<string, unknown>;
    for (const key of Object.keys(params)) if (!ROUTING.has(key)) params[key] = redact(params[key]);
  });
}
