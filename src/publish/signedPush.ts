import { fetchOrigin, type CleanRoom } from '../git/cleanRoom.js';
import { gitOk, gitText } from '../git/safeGit.js';
import { branchHead, commitOnBranch, createBranch, StaleHeadError } from '../github/commitOnBranch.js';
import type { GitHubTarget } from '../github/target.js';
import { errorMessage } from '../text/errorMessage.js';
import { MAX_BATCH_BYTES, planBatches, type TreeChange } from './commitBatches.js';
import { replayOnto, type PushResult } from './pushBranch.js';

export interface SignedPushOptions {
  room: CleanRoom;
  github: GitHubTarget;
  /** The room's commit: its tree and message are what GitHub commits. */
  commit: string;
  /** The commit the work started from (the branch's tip when it was prepared, or the base). */
  start: string;
  branch: string;
  fallbackSuffix: string;
  maxBatchBytes?: number;
}

/**
 * The push path's promise, kept with GitHub's createCommitOnBranch instead of
 * `git push`, so the commit is signed by GitHub and shows as Verified: the
 * branch created at the start commit when it is missing; a branch that moved
 * gets the work replayed onto it in the room (tried twice, as GitHub may
 * answer that it moved again); a conflict or a refusal sends the work to a
 * fresh branch instead. What fails there too is thrown, for the caller's patch.
 */
export async function signedPush(opts: SignedPushOptions): Promise<PushResult> {
  const { github, branch, start } = opts;
  const notes: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    try {
      const head = await headOrCreated(github, branch, start);
      const work = head === start ? opts.commit : await replayed(opts, head);
      if (work === undefined) {
        notes.push(`rebasing onto the remote ${branch} conflicted, so it was aborted`);
        break;
      }
      if (work === head) return { branch, commit: head, notes };
      const oid = await sendCommit(opts, branch, head, work, notes);
      if (head !== start) notes.push(`the remote ${branch} had moved; the work was rebased onto it and committed through GitHub's API`);
      return { branch, commit: oid, notes };
    } catch (error) {
      if (!(error instanceof StaleHeadError) || attempt === 2) {
        notes.push(`the signed commit on ${branch} failed: ${errorMessage(error)}`);
        break;
      }
      notes.push(`${branch} moved while the commit was made (${error.message}); trying again on its new head`);
    }
  }
  const fresh = `${branch}-${opts.fallbackSuffix}`;
  await createBranch(github, fresh, start);
  const oid = await sendCommit(opts, fresh, start, opts.commit, notes);
  notes.push(`the work was committed to a fresh branch, ${fresh}`);
  return { branch: fresh, commit: oid, notes };
}

/** The branch's head on GitHub, the branch created at `start` first when it is missing. */
async function headOrCreated(github: GitHubTarget, branch: string, start: string): Promise<string> {
  const head = await branchHead(github, branch);
  if (head !== undefined) return head;
  await createBranch(github, branch, start);
  return start;
}

/** The work replayed onto the remote head, fetched into the room; undefined on a conflict. */
async function replayed(opts: SignedPushOptions, head: string): Promise<string | undefined> {
  const fetched = await fetchOrigin(opts.room, [`+refs/heads/${opts.branch}:refs/nightshift/remote-branch`]);
  if (fetched.exitCode !== 0) return undefined;
  return replayOnto(opts.room, opts.commit, head);
}

/**
 * `to`'s changes against `from` as createCommitOnBranch mutations, each on
 * the oid the one before made; the last carries the commit's message, the
 * ones before say they are parts of it. Returns the last oid.
 */
async function sendCommit(opts: SignedPushOptions, branch: string, from: string, to: string, notes: string[]): Promise<string> {
  const { room, github } = opts;
  const changes = await treeChanges(room, from, to);
  const modes = changes.filter((change) => change.mode === '120000' || change.mode === '100755').map((change) => `\`${change.path}\``);
  if (modes.length > 0)
    notes.push(
      `GitHub's API keeps no file modes, so ${modes.join(', ')} ${modes.length === 1 ? 'is' : 'are'} committed as regular files (no executable bit, no symlink)`,
    );
  const { headline, body } = await messageOf(room, to);
  const batches = planBatches(changes, opts.maxBatchBytes ?? MAX_BATCH_BYTES);
  let head = from;
  for (const [index, batch] of batches.entries()) {
    const last = index === batches.length - 1;
    const part = `part ${index + 1} of ${batches.length}`;
    const additions = [];
    for (const change of batch.filter((entry) => entry.kind === 'add'))
      additions.push({ path: change.path, contents: (await gitOk(room.git, ['cat-file', 'blob', change.blob!])).toString('base64') });
    const deletions = batch.filter((entry) => entry.kind === 'delete').map((entry) => ({ path: entry.path }));
    // The last part carries the message as the push path writes it, trailers last.
    const message = last
      ? { headline, body }
      : { headline: `${headline} (${part})`, body: 'Part of a change too large for one request; the last part carries the full message.' };
    head = (await commitOnBranch(github, { branch, expectedHeadOid: head, ...message, fileChanges: { additions, deletions } })).oid;
  }
  if (batches.length > 1) notes.push(`the change was committed in ${batches.length} parts (each request is bounded in size)`);
  return head;
}

/** The paths `to` adds, changes or deletes against `from`, with the size of each new blob. */
export async function treeChanges(room: CleanRoom, from: string, to: string): Promise<TreeChange[]> {
  const raw = (await gitOk(room.git, ['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', from, to])).toString('utf8');
  const fields = raw.split('\0');
  if (fields.at(-1) === '') fields.pop();
  const changes: TreeChange[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const [, mode, , blob, status] = fields[index]!.replace(/^:/, '').split(' ');
    const path = fields[index + 1]!;
    // A submodule is a pointer, not content: the room's commits never change one.
    if (mode === '160000') continue;
    changes.push(status === 'D' ? { path, kind: 'delete', bytes: 0 } : { path, kind: 'add', blob, mode, bytes: 0 });
  }
  const adds = changes.filter((change) => change.kind === 'add');
  if (adds.length > 0) {
    const sizes = await gitText(room.git, ['cat-file', '--batch-check=%(objectsize)'], { input: adds.map((change) => `${change.blob}\n`).join('') });
    sizes.split('\n').forEach((size, index) => (adds[index]!.bytes = Number(size)));
  }
  return changes;
}

async function messageOf(room: CleanRoom, commit: string): Promise<{ headline: string; body: string }> {
  const raw = (await gitOk(room.git, ['cat-file', 'commit', commit])).toString('utf8');
  const message = raw.slice(raw.indexOf('\n\n') + 2);
  const newline = message.indexOf('\n');
  return newline === -1 ? { headline: message.trim(), body: '' } : { headline: message.slice(0, newline).trim(), body: message.slice(newline + 1).trim() };
}
