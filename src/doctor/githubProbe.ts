import { branchRules } from '../github/branchRules.js';
import type { GitHubTarget } from '../github/target.js';
import { errorMessage } from '../text/errorMessage.js';
import type { TokenKind } from '../github/tokenKind.js';
import type { Answer, GitHubFacts } from './facts.js';

type Octokit = GitHubTarget['octokit'];

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A signal aborted after `ms` as abort() does (an AbortError): Octokit passes that on as it is,
 * while AbortSignal.timeout's TimeoutError becomes a 500 its retry plugin tries again and again.
 */
export function deadline(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms).unref();
  return controller.signal;
}

export async function ask<T>(request: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await request() };
  } catch (error) {
    const status = statusOf(error);
    return { ok: false, ...(status ? { status } : {}), message: errorMessage(error) };
  }
}

/** GET /repos/{o}/{r}: a classic token's scopes (X-OAuth-Scopes), and whether a personal token's user may push. */
async function repositoryFacts(octokit: Octokit, owner: string, repo: string, kind: TokenKind, signal: AbortSignal) {
  return ask(async () => {
    const response = await octokit.rest.repos.get({ owner, repo, request: { signal } });
    const header = response.headers['x-oauth-scopes'];
    const scopes =
      typeof header === 'string'
        ? header
            .split(',')
            .map((scope) => scope.trim())
            .filter(Boolean)
        : undefined;
    // An installation token's answer says nothing about the token's own grants.
    const canPush = kind === 'installation' ? undefined : response.data.permissions?.push;
    return { scopes, canPush, private: response.data.private, defaultBranch: response.data.default_branch };
  });
}

/** Whether Actions may open pull requests here (needs admin read; the workflow token gets a 403). */
export function workflowSetting(octokit: Octokit, owner: string, repo: string, signal: AbortSignal): Promise<GitHubFacts['workflow']> {
  return ask(async () => {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/permissions/workflow', { owner, repo, request: { signal } });
    return { canApprovePullRequests: data.can_approve_pull_request_reviews, defaultPermissions: data.default_workflow_permissions };
  });
}

/**
 * What GitHub says about this repository and token, every request at once:
 * the repository, the Actions setting, and the rules on the base branch (the
 * one the configuration names, else the default) and on a work branch.
 */
export async function probeGitHub(opts: {
  github: GitHubTarget;
  tokenKind: TokenKind;
  baseBranch?: string;
  workBranch: string;
  branchPrefix: string;
  timeoutMs: number;
}): Promise<GitHubFacts> {
  const { octokit, owner, repo } = opts.github;
  const signal = deadline(opts.timeoutMs);
  // The base branch's rules wait for the default branch only when nothing else names the base.
  const workflow = workflowSetting(octokit, owner, repo, signal);
  const workRules = branchRules({ octokit, owner, repo, branch: opts.workBranch, signal });
  const repository = await repositoryFacts(octokit, owner, repo, opts.tokenKind, signal);
  const base = opts.baseBranch ?? (repository.ok ? repository.value.defaultBranch : 'main');
  const baseRules = await branchRules({ octokit, owner, repo, branch: base, signal });
  return { tokenKind: opts.tokenKind, repository, workflow: await workflow, baseRules, workRules: await workRules, branchPrefix: opts.branchPrefix };
}
