import { git, tryGit, type GitOptions } from './git.js';

export interface PushResult {
  /** The branch the work landed on: the intended one, or a fresh one when that could not take it. */
  branch: string;
  /** What happened on the way, for the summary ("rejected, rebased onto the remote branch"). */
  notes: string[];
}

/**
 * Pushes HEAD so the work is never dropped: a rejected push is retried after
 * fetching and rebasing onto the remote branch; if that cannot work (conflict,
 * protection), the work goes to a fresh branch instead.
 */
export async function pushBranch(opts: { local: GitOptions; remote: GitOptions; branch: string; fallbackSuffix: string }): Promise<PushResult> {
  const notes: string[] = [];
  const first = await push(opts.remote, opts.branch);
  if (first.exitCode === 0) return { branch: opts.branch, notes };
  notes.push(`push to ${opts.branch} was rejected: ${lastLine(first.output)}`);

  const fetched = await tryGit(opts.remote, ['fetch', '--quiet', 'origin', `+refs/heads/${opts.branch}:refs/remotes/origin/${opts.branch}`]);
  if (fetched.exitCode !== 0) {
    // The branch is not on the remote, so nothing moved under us: the rejection may be passing.
    const again = await push(opts.remote, opts.branch);
    if (again.exitCode === 0) {
      notes.push(`pushed ${opts.branch} on the second try`);
      return { branch: opts.branch, notes };
    }
    notes.push(`the second push was rejected too: ${lastLine(again.output)}`);
  } else {
    const rebased = await tryGit(opts.local, ['-c', 'user.name=nightshift', '-c', 'user.email=nightshift@localhost', 'rebase', '--quiet', `refs/remotes/origin/${opts.branch}`]);
    if (rebased.exitCode === 0) {
      const second = await push(opts.remote, opts.branch);
      if (second.exitCode === 0) {
        notes.push(`the remote ${opts.branch} had moved; the work was rebased onto it and pushed`);
        return { branch: opts.branch, notes };
      }
      notes.push(`push after rebase was rejected too: ${lastLine(second.output)}`);
    } else {
      await tryGit(opts.local, ['rebase', '--abort']);
      notes.push(`rebasing onto the remote ${opts.branch} conflicted, so it was aborted`);
    }
  }
  const fresh = `${opts.branch}-${opts.fallbackSuffix}`;
  await git(opts.remote, ['push', '--quiet', 'origin', `HEAD:refs/heads/${fresh}`]);
  notes.push(`the work was pushed to a fresh branch, ${fresh}`);
  return { branch: fresh, notes };
}

function push(remote: GitOptions, branch: string) {
  return tryGit(remote, ['push', '--quiet', '--porcelain', 'origin', `HEAD:refs/heads/${branch}`]);
}

function lastLine(output: string): string {
  const lines = output.trim().split('\n').filter((line) => line.trim() !== '' && line !== 'Done');
  return lines.at(-1) ?? 'no reason given';
}
