import type { Task } from '../records/task.js';
import { branchName, issueBranchPattern } from './branchName.js';
import { fetchOrigin, fromWorkspace, listOriginHeads, toWorkspace, type CleanRoom } from './cleanRoom.js';
import { gitOk, gitText, runGit } from './safeGit.js';

export interface WorkBranch {
  /** The branch the work is committed to and pushed as. */
  branch: string;
  /** The branch a pull request targets. */
  baseBranch: string;
  /** True when an existing branch was checked out to build on: an earlier run's, or a pull request's. */
  continued: boolean;
  /** True when that branch is a pull request's head that is not one of ours (no branch_prefix): someone's PR. */
  pullRequestBranch: boolean;
  /** The commit the work starts from, in the clean room: the base, or the tip of the branch it continues. */
  start: string;
  /** The room's ref for the base branch, which the PR's file list is measured against, when there is one. */
  baseRef?: string;
}

/**
 * Puts the workspace on the branch the work will land on, before the agent
 * starts: an earlier run's branch for the same issue when one exists (so a
 * re-run builds on it and the push fast-forwards), else a new branch from base.
 * Everything that talks to origin runs in the clean room (the token never
 * meets the workspace's config); the workspace gets the commits from there.
 */
export async function prepareBranch(opts: {
  room: CleanRoom;
  task: Task;
  prefix: string;
  runId: string;
  baseBranch?: string;
  /** Set for runs on a pull request: the work continues on its head branch. */
  headBranch?: string;
  /** A stable key for scheduled work (`task_key`): the branch is `<prefix><key>` on every run. */
  taskKey?: string;
}): Promise<WorkBranch> {
  const workspace = opts.room.workspaceGit;
  const fixed = opts.headBranch ?? (opts.taskKey ? `${opts.prefix}${opts.taskKey}` : undefined);
  // Three independent reads, at once: they stand between the trigger and the first model request.
  const [current, defaultBranch, existing] = await Promise.all([
    gitText(workspace, ['rev-parse', '--abbrev-ref', 'HEAD']),
    opts.baseBranch ? undefined : remoteDefaultBranch(opts.room),
    fixed ?? findIssueBranch(opts),
  ]);
  const baseBranch = opts.baseBranch || defaultBranch || current;
  // A pull request's base is measured against: fetched beside its head (into the room only), at once.
  const [fetched] = await Promise.all([
    existing ? fetchBranch(opts.room, existing) : false,
    opts.headBranch && opts.baseBranch ? fetchOrigin(opts.room, [`+refs/heads/${opts.baseBranch}:refs/remotes/origin/${opts.baseBranch}`]) : undefined,
  ]);
  if (existing && fetched) {
    await gitOk(workspace, ['checkout', '--quiet', '-B', existing, `refs/remotes/origin/${existing}`]);
    return recordStart(opts.room, {
      branch: existing,
      baseBranch,
      continued: true,
      pullRequestBranch: existing === opts.headBranch && !existing.startsWith(opts.prefix),
    });
  }
  const branch = fixed ?? branchName({ prefix: opts.prefix, task: opts.task, runId: opts.runId });
  if (opts.baseBranch && opts.baseBranch !== current && (await fetchBranch(opts.room, opts.baseBranch))) {
    await gitOk(workspace, ['checkout', '--quiet', '-B', branch, `refs/remotes/origin/${opts.baseBranch}`]);
  } else {
    await gitOk(workspace, ['checkout', '--quiet', '-B', branch]);
  }
  return recordStart(opts.room, { branch, baseBranch, continued: false, pullRequestBranch: false });
}

/** The commit the agent starts from, and the base to measure against, copied into the room before the agent runs. */
async function recordStart(room: CleanRoom, work: Omit<WorkBranch, 'start' | 'baseRef'>): Promise<WorkBranch> {
  const copied = await fromWorkspace(room, [`+refs/heads/${work.branch}:refs/nightshift/start`]);
  if (copied.exitCode !== 0) throw new Error(`could not copy the branch ${work.branch} into the clean room: ${copied.stderr.trim()}`);
  const remoteBase = `refs/remotes/origin/${work.baseBranch}`;
  const [start, hasRemoteBase] = await Promise.all([
    gitText(room.git, ['rev-parse', 'refs/nightshift/start^{commit}']),
    runGit(room.git, ['rev-parse', '--verify', '--quiet', `${remoteBase}^{commit}`]).then((result) => result.exitCode === 0),
  ]);
  if (hasRemoteBase) return { ...work, start, baseRef: remoteBase };
  const localBase = await fromWorkspace(room, [`+refs/heads/${work.baseBranch}:refs/nightshift/local-base`]);
  return { ...work, start, baseRef: localBase.exitCode === 0 ? 'refs/nightshift/local-base' : undefined };
}

async function findIssueBranch(opts: { room: CleanRoom; task: Task; prefix: string }): Promise<string | undefined> {
  if (opts.task.source.kind !== 'issue') return undefined;
  const prefix = issueBranchPattern(opts.prefix, opts.task.source.number);
  const result = await listOriginHeads(opts.room, `refs/heads/${prefix}*`);
  if (result.exitCode !== 0) return undefined;
  return result.stdout
    .toString('utf8')
    .split('\n')
    .map((line) => line.split('\t')[1]?.replace(/^refs\/heads\//, ''))
    .find((name): name is string => !!name && name.startsWith(prefix));
}

/** Fetches a branch from origin into the room, then hands it to the workspace as `origin/<branch>`. */
async function fetchBranch(room: CleanRoom, branch: string): Promise<boolean> {
  const ref = `refs/remotes/origin/${branch}`;
  if ((await fetchOrigin(room, [`+refs/heads/${branch}:${ref}`])).exitCode !== 0) return false;
  return (await toWorkspace(room, [`+${ref}:${ref}`])).exitCode === 0;
}

async function remoteDefaultBranch(room: CleanRoom): Promise<string | undefined> {
  const result = await runGit(room.workspaceGit, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  return result.exitCode === 0
    ? result.stdout
        .toString()
        .trim()
        .replace(/^origin\//, '')
    : undefined;
}
