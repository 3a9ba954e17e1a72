import type { Octokit } from './octokit.js';

/** The repository a run works for, and the client that reaches it. */
export interface GitHubTarget {
  octokit: Octokit;
  owner: string;
  repo: string;
  serverUrl: string;
}
