import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanRoom } from '../git/cleanRoom.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import type { GitHubTarget } from '../github/target.js';
import { gitOk } from '../git/safeGit.js';
import type { RunReport } from '../records/report.js';
import type { SecretFound } from '../secrets/secretVariants.js';
import { errorMessage } from '../text/errorMessage.js';
import { commitMessage } from './commitMessage.js';
import { diffStats } from './diffStats.js';
import { readFinalFiles } from './finalFiles.js';
import { judgeChanges } from './judgeChanges.js';
import { keepOnLocalBranch } from './localBranch.js';
import { pushBranch } from './pushBranch.js';
import { signedPush } from './signedPush.js';
import { writeCommit, type CommitIdentity } from './writeCommit.js';

export interface PushOptions {
  /** The git directory the action owns; the workspace is only read, as files. */
  room: CleanRoom;
  work: WorkBranch;
  author: CommitIdentity;
  coAuthor?: CommitIdentity;
  /** Pushes the branch; off for local runs, which keep the commit on a local branch. */
  push: boolean;
  /** Paths the run may not change: any change to them is left out of the commit. */
  isProtected: (path: string) => boolean;
  /** A change that carries a known secret (in content, name or symlink target, in any common encoding) is left out. */
  findSecret: (data: string | Uint8Array) => SecretFound | undefined;
  redact: (text: string) => string;
  runId: string;
  /** Where the patch goes when the branch cannot be pushed. */
  outDir: string;
  /** Commit through GitHub's API with this client (signed, Verified) instead of git push. */
  signer?: GitHubTarget;
}

/** A finished session with words and no work is an answer (a question asked in the thread). */
function isAnswer(report: RunReport): boolean {
  // A top-up continues work already on a branch: that branch and its PR are the result, whatever this run added.
  return report.status === 'completed' && report.finalText.trim() !== '' && !report.continuation;
}

/**
 * Commits and pushes the work — for every outcome, so a failed, cancelled or
 * exhausted run still leaves its work. The agent is done: its files are read
 * once, judged, and what passes becomes one commit on the start commit. Each
 * step that fails becomes a note on the report instead of hiding the ones before it.
 */
export async function pushWork(report: RunReport, opts: PushOptions): Promise<RunReport> {
  const { room, work } = opts;
  const notes = [...report.publication.notes];
  const publication: RunReport['publication'] = { ...report.publication, baseBranch: work.baseBranch, notes };
  const { changes, base, removed } = await readFinalFiles(room, work.start);
  for (const path of removed) notes.push(`${path} was not a regular file (a FIFO or a device), so it was removed before the files were listed`);
  // Nothing changed and the agent replied: its reply answers the thread, and there is nothing to push.
  if (changes.length === 0 && isAnswer(report)) return { ...report, fileChanges: [], answered: true, publication };
  const judged = judgeChanges({ changes, base, isProtected: opts.isProtected, findSecret: opts.findSecret });
  notes.push(...judged.notes);
  const commit = await writeCommit({
    room,
    parent: work.start,
    changes: judged.apply,
    author: opts.author,
    coAuthor: opts.coAuthor,
    ...commitMessage(report, opts.redact, opts.findSecret, notes),
  });
  const head = commit ?? work.start;
  if (commit) publication.commit = commit;
  const fileChanges = work.baseRef ? await diffStats({ git: room.git, base: work.baseRef, head }) : [];
  const result: RunReport = { ...report, fileChanges, publication };
  if (fileChanges.length === 0) return result;

  if (!opts.push) {
    if (commit) await keepOnLocalBranch({ room, commit, start: work.start, branch: work.branch });
    publication.branch = work.branch;
    notes.push(`the work is committed on the local branch ${work.branch}; it was not pushed`);
    return result;
  }
  try {
    const pushed = opts.signer
      ? await signedPush({ room, github: opts.signer, commit: head, start: work.start, branch: work.branch, fallbackSuffix: opts.runId })
      : await pushBranch({ room, commit: head, branch: work.branch, fallbackSuffix: opts.runId });
    publication.branch = pushed.branch;
    if (commit) publication.commit = pushed.commit;
    notes.push(...pushed.notes);
  } catch (error) {
    const patch = join(opts.outDir, 'nightshift-work.patch');
    await writeFile(patch, await gitOk(room.git, ['format-patch', '--no-ext-diff', '--stdout', `${work.baseRef ?? work.start}..${head}`]));
    notes.push(`the branch could not be pushed (${errorMessage(error)}); the work is saved as a patch in ${patch}`);
  }
  return result;
}
