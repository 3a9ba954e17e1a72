import { fetchOrigin, pushOrigin, type CleanRoom } from '../git/cleanRoom.js';
import { gitOk, gitText, outputOf, runGit, SafeGitError, type GitResult } from '../git/safeGit.js';

export interface PushResult {
  /** The branch the work landed on: the intended one, or a fresh one when that could not take it. */
  branch: string;
  /** The commit the branch now has: the work's, or the work replayed onto a branch that moved. */
  commit: string;
  /** What happened on the way, for the summary ("rejected, rebased onto the remote branch"). */
  notes: string[];
}

/**
 * Pushes the room's commit so the work is never dropped: a rejected push is
 * retried after fetching the remote branch and replaying the commit onto it
 * (a merge of trees in the room, no work tree, no hooks); if that cannot work
 * (conflict, protection), the work goes to a fresh branch instead.
 */
export async function pushBranch(opts: { room: CleanRoom; commit: string; branch: string; fallbackSuffix: string }): Promise<PushResult> {
  const { room, branch } = opts;
  const notes: string[] = [];
  const first = await push(room, opts.commit, branch);
  if (first.exitCode === 0) return { branch, commit: opts.commit, notes };
  notes.push(`push to ${branch} was rejected: ${lastLine(first)}`);

  const remoteRef = 'refs/nightshift/remote-branch';
  const fetched = await fetchOrigin(room, [`+refs/heads/${branch}:${remoteRef}`]);
  if (fetched.exitCode !== 0) {
    // The branch is not on the remote, so nothing moved under us: the rejection may be passing.
    const again = await push(room, opts.commit, branch);
    if (again.exitCode === 0) {
      notes.push(`pushed ${branch} on the second try`);
      return { branch, commit: opts.commit, notes };
    }
    notes.push(`the second push was rejected too: ${lastLine(again)}`);
  } else {
    const remoteTip = await gitText(room.git, ['rev-parse', `${remoteRef}^{commit}`]);
    const replayed = await replayOnto(room, opts.commit, remoteTip);
    if (replayed) {
      const second = await push(room, replayed, branch);
      if (second.exitCode === 0) {
        notes.push(`the remote ${branch} had moved; the work was rebased onto it and pushed`);
        return { branch, commit: replayed, notes };
      }
      notes.push(`push after rebase was rejected too: ${lastLine(second)}`);
    } else {
      notes.push(`rebasing onto the remote ${branch} conflicted, so it was aborted`);
    }
  }
  const fresh = `${branch}-${opts.fallbackSuffix}`;
  const last = await push(room, opts.commit, fresh);
  if (last.exitCode !== 0) throw new SafeGitError(['push', `${opts.commit}:refs/heads/${fresh}`], last);
  notes.push(`the work was pushed to a fresh branch, ${fresh}`);
  return { branch: fresh, commit: opts.commit, notes };
}

function push(room: CleanRoom, commit: string, branch: string): Promise<GitResult> {
  return pushOrigin(room, [`${commit}:refs/heads/${branch}`]);
}

/**
 * The commit's changes on top of `onto`, as a new commit with the same
 * author, committer and message; undefined on a conflict. Work the remote
 * already has needs no replay.
 */
export async function replayOnto(room: CleanRoom, commit: string, onto: string): Promise<string | undefined> {
  if ((await runGit(room.git, ['merge-base', '--is-ancestor', commit, onto])).exitCode === 0) return onto;
  const merged = await runGit(room.git, ['merge-tree', '--write-tree', '--no-messages', onto, commit]);
  if (merged.exitCode !== 0) return undefined;
  const tree = merged.stdout.toString().split('\n')[0]!.trim();
  const raw = (await gitOk(room.git, ['cat-file', 'commit', commit])).toString('utf8');
  const headerEnd = raw.indexOf('\n\n');
  const headers = raw
    .slice(0, headerEnd)
    .split('\n')
    .filter((line) => !line.startsWith('parent '))
    .map((line) => (line.startsWith('tree ') ? `tree ${tree}\nparent ${onto}` : line));
  return gitText(room.git, ['hash-object', '-t', 'commit', '-w', '--stdin'], { input: `${headers.join('\n')}${raw.slice(headerEnd)}` });
}

function lastLine(result: GitResult): string {
  const lines = outputOf(result)
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '' && line !== 'Done');
  return lines.at(-1) ?? 'no reason given';
}
