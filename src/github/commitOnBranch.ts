import { errorMessage } from '../text/errorMessage.js';
import type { GitHubTarget } from './target.js';

/** One file's new content (base64) or its removal, as createCommitOnBranch takes them. */
export interface FileChanges {
  additions: Array<{ path: string; contents: string }>;
  deletions: Array<{ path: string }>;
}

/** The branch moved since `expectedHeadOid` was read: GitHub refused the commit, nothing was written. */
export class StaleHeadError extends Error {
  constructor(
    readonly branch: string,
    message: string,
  ) {
    super(`${branch} moved on GitHub: ${message}`);
    this.name = 'StaleHeadError';
  }
}

const MUTATION = `mutation ($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid url } }
}`;

interface GraphqlFailure {
  errors?: Array<{ type?: string; message?: string }>;
}

/**
 * One commit on `branch` through GitHub's GraphQL API: GitHub writes it, signs
 * it and shows it as Verified. It applies only on top of `expectedHeadOid`; a
 * branch that moved answers a STALE_DATA error, raised as StaleHeadError.
 */
export async function commitOnBranch(
  github: GitHubTarget,
  opts: { branch: string; expectedHeadOid: string; headline: string; body: string; fileChanges: FileChanges },
): Promise<{ oid: string; url: string }> {
  const input = {
    branch: { repositoryNameWithOwner: `${github.owner}/${github.repo}`, branchName: opts.branch },
    message: { headline: opts.headline, body: opts.body },
    expectedHeadOid: opts.expectedHeadOid,
    fileChanges: opts.fileChanges,
  };
  try {
    const answer = await github.octokit.graphql<{ createCommitOnBranch: { commit: { oid: string; url: string } } }>(MUTATION, { input });
    return answer.createCommitOnBranch.commit;
  } catch (error) {
    const errors = (error as GraphqlFailure).errors ?? [];
    const stale = errors.find((entry) => entry.type === 'STALE_DATA' || /expected branch to point to/i.test(entry.message ?? ''));
    if (stale) throw new StaleHeadError(opts.branch, stale.message ?? 'the expected head is not the branch head');
    throw new Error(`createCommitOnBranch on ${opts.branch} failed: ${errorMessage(error)}`, { cause: error });
  }
}

/** The commit a branch points to on GitHub; undefined when there is no such branch. */
export async function branchHead(github: GitHubTarget, branch: string): Promise<string | undefined> {
  try {
    const { data } = await github.octokit.rest.git.getRef({ owner: github.owner, repo: github.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw new Error(`could not read the branch ${branch} on GitHub: ${errorMessage(error)}`, { cause: error });
  }
}

/** Creates `branch` at `sha` on GitHub (createCommitOnBranch needs the branch to exist). */
export async function createBranch(github: GitHubTarget, branch: string, sha: string): Promise<void> {
  try {
    await github.octokit.rest.git.createRef({ owner: github.owner, repo: github.repo, ref: `refs/heads/${branch}`, sha });
  } catch (error) {
    throw new Error(`could not create the branch ${branch} at ${sha.slice(0, 12)} on GitHub: ${errorMessage(error)}`, { cause: error });
  }
}
