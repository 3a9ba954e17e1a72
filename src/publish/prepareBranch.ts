import type { Task } from '../trigger/task.js';
import { branchName, issueBranchPattern } from './branchName.js';
import { git, tryGit, type GitOptions } from './git.js';

export interface WorkBranch {
  /** The branch the work is committed to and pushed as. */
  branch: string;
  /** The branch a pull request targets. */
  baseBranch: string;
  /** True when an existing branch was checked out to build on: an earlier run's, or a pull request's. */
  continued: boolean;
  /** True when that branch is a pull request's head that is not one of ours (no branch_prefix): someone's PR. */
  pullRequestBranch: boolean;
}

/**
 * Puts the workspace on the branch the work will land on, before the agent
 * starts: an earlier run's branch for the same issue when one exists (so a
 * re-run builds on it and the push fast-forwards), else a new branch from base.
 * `remote` carries push-time credentials; nothing is written to .git/config.
 */
export async function prepareBranch(opts: {
  local: GitOptions;
  remote: GitOptions;
  task: Task;
  prefix: string;
  runId: string;
  baseBranch?: string;
  /** Set for runs on a pull request: the work continues on its head branch. */
  headBranch?: string;
  /** A stable key for scheduled work (`task_key`): the branch is `<prefix><key>` on every run. */
  taskKey?: string;
}): Promise<WorkBranch> {
  const current = (await git(opts.local, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
  const baseBranch = opts.baseBranch || (await remoteDefaultBranch(opts.local)) || current;

  const fixed = opts.headBranch ?? (opts.taskKey ? `${opts.prefix}${opts.taskKey}` : undefined);
  const existing = fixed ?? (await findIssueBranch(opts));
  if (existing && (await fetchBranch(opts.remote, existing))) {
    await git(opts.local, ['checkout', '--quiet', '-B', existing, `refs/remotes/origin/${existing}`]);
    return { branch: existing, baseBranch, continued: true, pullRequestBranch: existing === opts.headBranch && !existing.startsWith(opts.prefix) };
  }
  const branch = fixed ?? branchName({ prefix: opts.prefix, task: opts.task, runId: opts.runId });
  if (opts.baseBranch && opts.baseBranch !== current && (await fetchBranch(opts.remote, opts.baseBranch))) {
    await git(opts.local, ['checkout', '--quiet', '-B', branch, `refs/remotes/origin/${opts.baseBranch}`]);
  } else {
    await git(opts.local, ['checkout', '--quiet', '-B', branch]);
  }
  return { branch, baseBranch, continued: false, pullRequestBranch: false };
}

async function findIssueBranch(opts: { remote: GitOptions; task: Task; prefix: string }): Promise<string | undefined> {
  if (opts.task.source.kind !== 'issue') return undefined;
  const prefix = issueBranchPattern(opts.prefix, opts.task.source.number);
  const result = await tryGit(opts.remote, ['ls-remote', '--heads', 'origin', `refs/heads/${prefix}*`]);
  if (result.exitCode !== 0) return undefined;
  return result.output
    .split('\n')
    .map((line) => line.split('\t')[1]?.replace(/^refs\/heads\//, ''))
    .find((name): name is string => !!name && name.startsWith(prefix));
}

async function fetchBranch(remote: GitOptions, branch: string): Promise<boolean> {
  const result = await tryGit(remote, ['fetch', '--quiet', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
  return result.exitCode === 0;
}

async function remoteDefaultBranch(local: GitOptions): Promise<string | undefined> {
  const result = await tryGit(local, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  return result.exitCode === 0 ? result.output.trim().replace(/^origin\//, '') : undefined;
}
