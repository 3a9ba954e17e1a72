import { constants, type Stats } from 'node:fs';
import { lstat, open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ToolInputError } from './errors.js';

export interface ResolvedPath {
  /** Real absolute path (symlinks resolved): what the tool reads or writes. */
  absolute: string;
  /** Relative to the workspace root, with `/` separators; `.` for the root itself. */
  relative: string;
  /** A file that must not be opened under any name (the run's own credentials file, renamed or hard-linked): checked on the opened descriptor. */
  refuse?: (info: Stats) => boolean;
}

/** Like the kernel's ELOOP limit: a chain of links this long is a loop. */
const MAX_LINK_HOPS = 40;

/**
 * Confines a path the model gave to the workspace. Relative paths are taken
 * from the root; absolute ones only when inside it (the Anthropic editor tool
 * sends absolute paths). Symlinks are followed one component at a time, so a
 * link pointing out of the tree is refused for reads and writes alike, even
 * when its target does not exist yet (writing through it would create it).
 * `.git` is never writable: a model that rewrites hooks or config could run
 * code in later git commands, or publish what it was not asked to.
 */
export async function resolveInWorkspace(root: string, userPath: string, opts: { forWrite: boolean }): Promise<ResolvedPath> {
  const shown = JSON.stringify(userPath);
  if (userPath.trim() === '') throw new ToolInputError('path is empty');
  if (userPath.includes('\0')) throw new ToolInputError(`path ${shown} contains a NUL byte`);
  if (userPath.startsWith('~')) throw new ToolInputError(`path ${shown} uses ~, which is not supported; give a path inside the workspace`);

  const realRoot = await realpath(root);
  const lexical = isAbsolute(userPath) ? resolve(userPath) : resolve(realRoot, userPath);
  if (!isInside(realRoot, lexical)) {
    // An absolute path was probably guessed (`/repo/...`): say where the workspace is.
    const where = isAbsolute(userPath) ? ` (${realRoot})` : '';
    throw new ToolInputError(`path ${shown} is outside the workspace${where}`);
  }

  const followed = await follow(realRoot, lexical, 0);
  if ('tooManyLinks' in followed) throw new ToolInputError(`path ${shown} has too many levels of symbolic links`);
  if ('escapesTo' in followed) throw new ToolInputError(`path ${shown} resolves outside the workspace (symlink to ${followed.escapesTo})`);

  const rel = toPosix(relative(realRoot, followed.real)) || '.';
  // Both spellings count: `.git/x` itself, and a link that lands inside some `.git`.
  const lexicalRel = toPosix(relative(realRoot, lexical));
  if (opts.forWrite && (hasGitComponent(rel) || hasGitComponent(lexicalRel))) {
    throw new ToolInputError(`path ${shown} is inside .git/, which is read-only`);
  }
  return { absolute: followed.real, relative: rel };
}

/** stat, or undefined when nothing is there (a missing path, or a file used as a directory). */
export async function statOrUndefined(absolute: string): Promise<Stats | undefined> {
  try {
    return await stat(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Opens a regular file for the editor, never blocking and never anything
 * else. Opening a FIFO waits for its other end forever (and a device may
 * never answer), so the open is non-blocking (a FIFO opens at once, or fails
 * with ENXIO for writing, as a socket does), does not follow a link that
 * appeared after the path was resolved, and the file actually opened is
 * checked: a regular file swapped for a FIFO after a `stat` is still refused.
 */
export async function openRegularFile(target: ResolvedPath, mode: 'read' | 'write'): Promise<FileHandle> {
  const flags = (mode === 'read' ? constants.O_RDONLY : constants.O_WRONLY | constants.O_CREAT) | constants.O_NONBLOCK | constants.O_NOFOLLOW;
  let handle: FileHandle;
  try {
    handle = await open(target.absolute, flags, 0o666);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENXIO' || code === 'EOPNOTSUPP') throw notRegular(target, 'a FIFO or socket');
    if (code === 'ELOOP') throw new ToolInputError(`${target.relative} became a symbolic link while it was being opened; it was not touched`);
    if (code === 'EISDIR') throw new ToolInputError(`${target.relative} is a directory; give a file path`);
    throw error;
  }
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw notRegular(target, describeKind(info));
  }
  if (target.refuse?.(info)) {
    await handle.close();
    throw new ToolInputError(`${target.relative} is a credentials file of the run's own (under another name): the agent's tools never read or change it`);
  }
  return handle;
}

/** A FIFO, socket or device the editor refuses, said in words the model can act on. */
export function notRegular(target: ResolvedPath, kind: string): ToolInputError {
  return new ToolInputError(`${target.relative} is ${kind}, not a regular file; the editor only reads and writes regular files (it was not touched)`);
}

export function describeKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}

type Followed = { real: string } | { escapesTo: string } | { tooManyLinks: true };

/**
 * Walks `path` (absolute, normalized, lexically inside `root`) from the root
 * one component at a time, following symlinks as the kernel would. Returns
 * the real path (its missing tail appended as given), or the target of the
 * first link that leaves the root.
 */
async function follow(root: string, path: string, hops: number): Promise<Followed> {
  const parts = relative(root, path)
    .split(sep)
    .filter((part) => part !== '');
  let current = root;
  for (const [index, part] of parts.entries()) {
    const next = join(current, part);
    const info = await lstat(next).catch((error: NodeJS.ErrnoException) => {
      // Not there (yet), or a file used as a directory: nothing below can be a link.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (!info) return { real: join(next, ...parts.slice(index + 1)) };
    if (!info.isSymbolicLink()) {
      current = next;
      continue;
    }
    if (hops >= MAX_LINK_HOPS) return { tooManyLinks: true };
    const raw = await readlink(next);
    // When the target exists the kernel says where it really is (`..` after a link included).
    const real = await realpath(isAbsolute(raw) ? raw : `${current}${sep}${raw}`).catch(() => undefined);
    if (real !== undefined) {
      if (!isInside(root, real)) return { escapesTo: real };
      current = real;
      continue;
    }
    // A dangling link (or a loop): follow its spelling, which is what a write would create.
    const target = resolve(current, raw);
    if (!isInside(root, target)) return { escapesTo: target };
    const resolved = await follow(root, target, hops + 1);
    if (!('real' in resolved)) return resolved;
    current = resolved.real;
  }
  return { real: current };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function hasGitComponent(rel: string): boolean {
  return rel.split('/').includes('.git');
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
