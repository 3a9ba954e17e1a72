import type { Octokit } from '../github/octokit.js';
import { writtenByUs } from '../text/markers.js';
import { asUntrustedBlock } from './untrusted.js';

/** Earlier comments handed to the model as context, newest last. */
const MAX_CONTEXT_COMMENTS = 20;

/**
 * The discussion before the request: comments written before the trigger
 * (never after — a later comment cannot steer this run), as untrusted blocks.
 */
export async function discussionBefore(opts: {
  octokit: Octokit;
  owner: string;
  repo: string;
  number: number;
  before?: string;
  excludeId?: number;
}): Promise<string> {
  const comments = await opts.octokit.paginate(opts.octokit.rest.issues.listComments, {
    owner: opts.owner,
    repo: opts.repo,
    issue_number: opts.number,
    per_page: 100,
  });
  const cutoff = opts.before ? Date.parse(opts.before) : Infinity;
  const earlier = comments
    .filter((comment) => comment.id !== opts.excludeId && Date.parse(comment.created_at) < cutoff && !writtenByUs(comment.body))
    .slice(-MAX_CONTEXT_COMMENTS);
  return earlier.map((comment) => asUntrustedBlock(`comment on #${opts.number}`, comment.user?.login ?? 'unknown', comment.body ?? '')).join('\n');
}

/** An issue_comment on a PR carries neither the head nor the base branch; the PR does. */
export async function pullDetails(opts: {
  octokit: Octokit;
  owner: string;
  repo: string;
  number: number;
}): Promise<{ headBranch: string; baseBranch: string; headRepoFullName: string; isFork: boolean }> {
  const { data } = await opts.octokit.rest.pulls.get({ owner: opts.owner, repo: opts.repo, pull_number: opts.number });
  const headRepo = data.head.repo?.full_name ?? '';
  return { headBranch: data.head.ref, baseBranch: data.base.ref, headRepoFullName: headRepo, isFork: headRepo !== `${opts.owner}/${opts.repo}` };
}
