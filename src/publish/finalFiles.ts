import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, unlink } from 'node:fs/promises';
import { runProcess } from '../exec/runProcess.js';
import { basename, dirname, join } from 'node:path';
import type { CleanRoom } from '../git/cleanRoom.js';
import { objectId } from '../git/gitObjects.js';
import { gitOk, runGit, SafeGitError } from '../git/safeGit.js';

/** An entry of the tree the work started from. */
export interface TreeEntry {
  mode: string;
  oid: string;
}

/** What is at a path in the workspace once the agent is done, read once. */
export type FinalState =
  | { kind: 'file'; mode: '100644' | '100755'; data: Buffer; oid: string }
  | { kind: 'symlink'; target: Buffer; oid: string }
  | { kind: 'absent' }
  /** Something that cannot be published (a FIFO, a socket, a device, a nested repository, a bad name). */
  | { kind: 'refused'; reason: string };

export interface PathChange {
  path: string;
  /** The entry at the start of the run, if there was one. */
  before?: TreeEntry;
  after: FinalState;
}

const LIST_TIMEOUT_MS = 120_000;
const READ_BATCH = 32;

/**
 * Every path that differs between the start commit and the files in the
 * workspace now. Paths come from git's own listing, run from the room with
 * a fresh index built from the start commit (so ignore rules apply as
 * `git add --all` would, but the agent's index, config and attributes do
 * not); content is read here, once per file, without following symlinks.
 */
export async function readFinalFiles(room: CleanRoom, start: string): Promise<{ changes: PathChange[]; base: Map<string, TreeEntry>; removed: string[] }> {
  const base = await treeEntries(room, start);
  const removed = await removeUnreadableIgnoreFiles(room);
  const index = join(room.scratch, `list-${Date.now()}.index`);
  const listing = { ...room.git, cwd: room.workspace, env: { ...room.git.env, GIT_INDEX_FILE: index, GIT_WORK_TREE: room.workspace } };
  await gitOk(listing, ['read-tree', start]);
  const listed = await runGit(listing, ['ls-files', '-z', '--others', '--exclude-standard'], { timeoutMs: LIST_TIMEOUT_MS });
  if (listed.exitCode !== 0) {
    throw new Error(
      listed.timedOut ? `listing the workspace's files took more than ${LIST_TIMEOUT_MS / 1000}s` : new SafeGitError(['ls-files'], listed).message,
    );
  }
  const changes: PathChange[] = [];
  const entries = [...base];
  // A few reads at a time: a large checkout has tens of thousands of files, each read to compare its bytes.
  for (let index = 0; index < entries.length; index += READ_BATCH) {
    const batch = await Promise.all(
      entries.slice(index, index + READ_BATCH).map(async ([path, before]): Promise<PathChange | undefined> => {
        // A submodule's commit cannot be read without running git in it: it is kept unless its directory is gone.
        if (before.mode === '160000') return (await exists(room.workspace, path)) ? undefined : { path, before, after: { kind: 'absent' } };
        const after = await readFinal(room, path);
        return sameAs(before, after) ? undefined : { path, before, after };
      }),
    );
    changes.push(...batch.filter((change): change is PathChange => change !== undefined));
  }
  for (const raw of splitZ(listed.stdout)) {
    const path = raw.toString('utf8');
    if (!Buffer.from(path, 'utf8').equals(raw)) {
      changes.push({ path: path.replace(/\uFFFD/g, '?'), after: { kind: 'refused', reason: 'its name is not valid UTF-8' } });
    } else if (path.endsWith('/')) {
      changes.push({ path: path.slice(0, -1), after: { kind: 'refused', reason: 'it is a nested git repository' } });
    } else if (!base.has(path)) {
      const after = await readFinal(room, path);
      if (after.kind !== 'absent') changes.push({ path, after });
    }
  }
  return { changes, base, removed };
}

/**
 * git reads every `.gitignore` it meets while listing, and one that is a FIFO
 * (or a device) would block it until its time limit, losing the run's work.
 * Such a file can never be published, so it is removed first; `find` names
 * them without reading any. Runs after the box is emptied, so nothing of the
 * agent's can put one back.
 */
async function removeUnreadableIgnoreFiles(room: CleanRoom): Promise<string[]> {
  const found = await runProcess({
    file: 'find',
    args: [
      room.workspace,
      '-path',
      join(room.workspace, '.git'),
      '-prune',
      '-o',
      '-name',
      '.gitignore',
      '!',
      '-type',
      'f',
      '!',
      '-type',
      'l',
      '!',
      '-type',
      'd',
      '-print0',
    ],
    cwd: room.workspace,
    env: { PATH: room.git.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: LIST_TIMEOUT_MS,
    maxOutputBytes: 1_000_000,
  });
  const paths = found.output.split('\0').filter((path) => path.startsWith(`${room.workspace}/`));
  for (const path of paths) await unlink(path).catch(() => undefined);
  return paths.map((path) => path.slice(room.workspace.length + 1));
}

async function treeEntries(room: CleanRoom, commit: string): Promise<Map<string, TreeEntry>> {
  const entries = new Map<string, TreeEntry>();
  for (const raw of splitZ(await gitOk(room.git, ['ls-tree', '-r', '-z', '--full-tree', commit]))) {
    const tab = raw.indexOf(9);
    const [mode, , oid] = raw.subarray(0, tab).toString().split(' ');
    const name = raw.subarray(tab + 1);
    // A name that is not UTF-8 cannot be looked up by a string path: that entry is kept as it was.
    if (Buffer.from(name.toString('utf8'), 'utf8').equals(name)) entries.set(name.toString('utf8'), { mode: mode!, oid: oid! });
  }
  return entries;
}

function sameAs(before: TreeEntry, after: FinalState): boolean {
  if (after.kind === 'file') return before.mode === after.mode && before.oid === after.oid;
  if (after.kind === 'symlink') return before.mode === '120000' && before.oid === after.oid;
  return false;
}

/** Whether anything is at `path` (not following a final symlink, nor a symlinked directory on the way). */
async function exists(workspace: string, path: string): Promise<boolean> {
  const parent = await realParent(workspace, path);
  if (parent === undefined) return false;
  // Only "not there" counts as gone; a directory we may not read is kept as it was.
  return (
    typeof parent !== 'string' ||
    (await lstat(join(parent, basename(path))).then(
      () => true,
      (error: NodeJS.ErrnoException) => !isMissing(error),
    ))
  );
}

/**
 * Reads one path of the workspace as it is now: a regular file's bytes or a
 * symlink's target, never through a symlinked directory and never following
 * the link itself; a FIFO or device is refused without blocking on it.
 */
async function readFinal(room: CleanRoom, path: string): Promise<FinalState> {
  const parent = await realParent(room.workspace, path);
  if (parent === undefined) return { kind: 'absent' };
  if (typeof parent !== 'string') return { kind: 'refused', reason: `its directory could not be read (${parent.unreadable})` };
  const full = join(parent, basename(path));
  let handle;
  try {
    handle = await open(full, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') {
      const target = await readlink(full, { encoding: 'buffer' }).catch(() => undefined);
      return target ? { kind: 'symlink', target, oid: objectId(room.objectFormat, 'blob', target) } : { kind: 'absent' };
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'ENXIO') return { kind: 'refused', reason: 'it is a socket' };
    return { kind: 'refused', reason: `it could not be read (${code ?? 'error'})` };
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return { kind: 'absent' };
    if (!stat.isFile())
      return {
        kind: 'refused',
        reason: `it is not a regular file or a symlink (${stat.isFIFO() ? 'a FIFO' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'a special file'})`,
      };
    // The descriptor, not the name, is what gets read: check the kernel agrees it is the path we meant.
    if (process.platform === 'linux' && (await readlink(`/proc/self/fd/${handle.fd}`).catch(() => full)) !== full) {
      return { kind: 'refused', reason: 'it moved while it was being read' };
    }
    const data = await handle.readFile();
    return { kind: 'file', mode: stat.mode & 0o100 ? '100755' : '100644', data, oid: objectId(room.objectFormat, 'blob', data) };
  } finally {
    await handle.close();
  }
}

/** The real directory holding `path`, or undefined when a component on the way is a symlink or missing. */
/**
 * The real directory holding `path`; undefined when a component on the way
 * is missing, not a directory, or a symlink (then the path is not there as
 * git sees the tree); `{unreadable}` when it cannot be told (permissions),
 * which must never be mistaken for a deletion.
 */
async function realParent(workspace: string, path: string): Promise<string | { unreadable: string } | undefined> {
  const expected = dirname(path) === '.' ? workspace : join(workspace, dirname(path));
  try {
    const real = await realpath(expected);
    return real === expected ? real : undefined;
  } catch (error) {
    return isMissing(error as NodeJS.ErrnoException) ? undefined : { unreadable: (error as NodeJS.ErrnoException).code ?? 'error' };
  }
}

function isMissing(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ELOOP';
}

function splitZ(buffer: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = buffer.indexOf(0); index !== -1; index = buffer.indexOf(0, start)) {
    parts.push(buffer.subarray(start, index));
    start = index + 1;
  }
  return parts;
}
