import type { getOctokit } from '@actions/github';
import { errorMessage } from '../text/errorMessage.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface PullRequestRequest {
  octokit: Octokit;
  owner: string;
  repo: string;
  branch: string;
  baseBranch: string;
  title: string;
  body: string;
  draft: boolean;
  labels: string[];
  reviewers: string[];
  serverUrl: string;
}

export type PullRequestResult =
  { kind: 'opened' | 'updated'; number: number; url: string; draft: boolean; notes: string[] } | { kind: 'refused'; compareUrl: string; notes: string[] };

/** The repository setting that stops GITHUB_TOKEN from opening pull requests. */
const PR_SETTING_HINT =
  'Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" (or pass a GitHub App token as github_token)';

/**
 * Opens the pull request for the branch, or updates the open one a previous
 * run made, so re-runs never open a second. When GitHub refuses to let
 * Actions open PRs, the branch is already pushed: the result carries a
 * one-click compare link and the setting to change.
 */
export async function publishPullRequest(req: PullRequestRequest): Promise<PullRequestResult> {
  const { octokit, owner, repo } = req;
  const notes: string[] = [];
  const existing = await findOpenPullRequest(req);
  if (existing) {
    await octokit.rest.pulls.update({ owner, repo, pull_number: existing.number, title: req.title, body: req.body });
    if (existing.draft !== req.draft) await setDraft(octokit, existing.node_id, req.draft, notes);
    await decorate(req, existing.number, notes);
    return { kind: 'updated', number: existing.number, url: existing.html_url, draft: req.draft, notes };
  }
  const compareUrl = `${req.serverUrl}/${owner}/${repo}/compare/${encodeURIComponent(req.baseBranch)}...${encodeURIComponent(req.branch)}?expand=1`;
  let created;
  try {
    created = await create(req, req.draft);
  } catch (error) {
    const { status, message } = describe(error);
    if (status === 422 && /draft/i.test(message) && req.draft) {
      notes.push('draft pull requests are not available in this repository; opened as a regular pull request marked not ready');
      created = await create({ ...req, title: `[not ready] ${req.title}` }, false);
    } else if (status === 403 || (status === 422 && /not permitted|permission/i.test(message))) {
      notes.push(
        `GitHub refused to open the pull request (${status}: ${message}). The branch is pushed; open it from the compare link. To let future runs open it: ${PR_SETTING_HINT}.`,
      );
      return { kind: 'refused', compareUrl, notes };
    } else {
      throw new Error(`opening the pull request from ${req.branch} into ${req.baseBranch} failed (${status ?? 'no status'}): ${message}`, { cause: error });
    }
  }
  await decorate(req, created.number, notes);
  return { kind: 'opened', number: created.number, url: created.html_url, draft: created.draft ?? req.draft, notes };
}

async function findOpenPullRequest(req: PullRequestRequest) {
  const { data } = await req.octokit.rest.pulls.list({ owner: req.owner, repo: req.repo, head: `${req.owner}:${req.branch}`, state: 'open', per_page: 5 });
  return data[0];
}

async function create(req: PullRequestRequest, draft: boolean) {
  const { data } = await req.octokit.rest.pulls.create({
    owner: req.owner,
    repo: req.repo,
    head: req.branch,
    base: req.baseBranch,
    title: req.title,
    body: req.body,
    draft,
  });
  return data;
}

/** REST cannot flip a PR between draft and ready; GraphQL can. */
async function setDraft(octokit: Octokit, nodeId: string, draft: boolean, notes: string[]): Promise<void> {
  const mutation = draft
    ? 'mutation($id: ID!) { convertPullRequestToDraft(input: {pullRequestId: $id}) { pullRequest { isDraft } } }'
    : 'mutation($id: ID!) { markPullRequestReadyForReview(input: {pullRequestId: $id}) { pullRequest { isDraft } } }';
  try {
    await octokit.graphql(mutation, { id: nodeId });
  } catch (error) {
    notes.push(`could not mark the pull request ${draft ? 'as draft' : 'ready for review'}: ${describe(error).message}`);
  }
}

/** Labels and reviewers are nice to have: a failure there is a note, not a failed run. */
async function decorate(req: PullRequestRequest, number: number, notes: string[]): Promise<void> {
  const { octokit, owner, repo } = req;
  if (req.labels.length > 0) {
    await octokit.rest.issues.addLabels({ owner, repo, issue_number: number, labels: req.labels }).catch((error: unknown) => {
      notes.push(`could not add labels ${req.labels.join(', ')}: ${describe(error).message}`);
    });
  }
  if (req.reviewers.length > 0) {
    await octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: number, reviewers: req.reviewers }).catch((error: unknown) => {
      notes.push(`could not request reviews from ${req.reviewers.join(', ')}: ${describe(error).message}`);
    });
  }
}

function describe(error: unknown): { status?: number; message: string } {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  return { status, message: errorMessage(error) };
}
