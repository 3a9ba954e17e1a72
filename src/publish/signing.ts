import { branchRules, type BranchRules } from '../github/branchRules.js';
import type { GitHubTarget } from '../github/target.js';
import { tokenKind } from '../github/tokenKind.js';

/**
 * Whether the run's commit goes through GitHub's API (signed, Verified) rather
 * than git push: sign_commits `true` always, `false` never, `auto` when the
 * work branch's rules require signed commits (rules that cannot be read count
 * as not requiring them: git push then says what the rules want).
 */
export async function commitSigner(opts: {
  mode: 'auto' | 'true' | 'false';
  github?: GitHubTarget;
  branch: string;
  push: boolean;
  /** The rules already read for a branch (the preflight's); asked for again only when they are another branch's. */
  rules?: BranchRules;
}): Promise<{ signer?: GitHubTarget; notes: string[] }> {
  const { github, branch } = opts;
  if (!opts.push || opts.mode === 'false') return { notes: [] };
  if (!github)
    return { notes: opts.mode === 'true' ? ['sign_commits is true, but there is no GitHub API to commit through, so the work was pushed with git'] : [] };
  if (opts.mode === 'true') return { signer: github, notes: [] };
  const rules = opts.rules?.branch === branch ? opts.rules : await branchRules({ octokit: github.octokit, owner: github.owner, repo: github.repo, branch });
  if (!rules.requiresSignedCommits) return { notes: [] };
  return {
    signer: github,
    notes: [`the rules for ${branch} require signed commits, so the work was committed through GitHub's API, which signs it (Verified)`],
  };
}

/**
 * The note a run pushed with the workflow's token carries, once: GitHub
 * starts no workflow for events made with GITHUB_TOKEN, so the PR's CI will
 * not run until someone (or an app) pushes.
 */
export function ciNote(opts: { token: string; usesApp: boolean }): string | undefined {
  // Personal access tokens (classic, fine-grained) start workflows; the workflow's token (and any ghs_ token) may not.
  const kind = tokenKind(opts.token);
  if (opts.usesApp || kind === 'classic' || kind === 'fine-grained') return undefined;
  return (
    "CI will not start on this pull request: GitHub does not start workflows for events made with the workflow's GITHUB_TOKEN, which pushed this work. " +
    'To have CI run on these pull requests, set `app_id` and `app_private_key` (a GitHub App installation token then pushes and opens them), or have a person push to the branch or close and reopen the pull request.'
  );
}
