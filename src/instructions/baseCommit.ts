import { fetchOrigin, type CleanRoom } from '../git/cleanRoom.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import { runGit } from '../git/safeGit.js';

/** The commit the instructions are read from, and how to name it to people. */
export interface InstructionsBase {
  commit: string;
  /** "main": the branch it is the tip of. */
  branch: string;
}

const PULL_BASE_REF = 'refs/nightshift/instructions-base';
/** A name that can only be read as one branch in a refspec. */
const SAFE_BRANCH = /^[^-+:\s~^?*[\\][^:\s~^?*[\\]*$/;

/**
 * Where the rules come from: the base branch, never the branch being worked
 * on, so a change under review cannot rewrite what it is judged by. A fresh
 * task starts on the base, so its start commit is it; a run that continues a
 * branch (an earlier run's, or a pull request's head) reads the base branch's
 * tip: for a pull request, the branch it targets, fetched from origin into
 * the clean room (a PR's base need not be the action's base_branch).
 */
export async function instructionsBase(opts: { room: CleanRoom; work: WorkBranch; pullBase?: string }): Promise<InstructionsBase | { missing: string }> {
  const { room, work, pullBase } = opts;
  if (pullBase !== undefined) {
    if (!SAFE_BRANCH.test(pullBase) || pullBase.includes('..'))
      return { missing: `the pull request's base branch ${JSON.stringify(pullBase)} is not a branch name` };
    // The branch was prepared against this base and has just fetched it: no second fetch.
    const prepared = pullBase === work.baseBranch && work.baseRef ? await commitOf(room, work.baseRef) : undefined;
    if (prepared) return { commit: prepared, branch: pullBase };
    const fetched = await fetchOrigin(room, [`+refs/heads/${pullBase}:${PULL_BASE_REF}`]);
    // The room also holds what the checkout had of origin's branches: good enough when origin cannot be reached.
    const commit = (fetched.exitCode === 0 ? await commitOf(room, PULL_BASE_REF) : undefined) ?? (await commitOf(room, `refs/remotes/origin/${pullBase}`));
    return commit ? { commit, branch: pullBase } : { missing: `the pull request's base branch ${pullBase} could not be read from origin` };
  }
  if (!work.continued) return { commit: work.start, branch: work.baseBranch };
  const commit = work.baseRef ? await commitOf(room, work.baseRef) : undefined;
  return commit ? { commit, branch: work.baseBranch } : { missing: `the base branch ${work.baseBranch} is not in the clean room` };
}

async function commitOf(room: CleanRoom, ref: string): Promise<string | undefined> {
  const result = await runGit(room.git, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.toString('utf8').trim() : undefined;
}
