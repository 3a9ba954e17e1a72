import { lstat, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep, basename, join } from 'node:path';
import { ToolInputError } from './errors.js';

export interface ResolvedPath {
  absolute: string;
  /** Relative to the workspace root, with `/` separators; `.` for the root itself. */
  relative: string;
}

/**
 * Confines a path the model gave to the workspace. Relative paths are taken
 * from the root; absolute ones only when inside it. Symlinks are resolved, so
 * a link pointing out of the tree is refused; `.git/` is never writable.
 */
export async function resolveInWorkspace(root: string, userPath: string, opts: { forWrite: boolean }): Promise<ResolvedPath> {
  if (userPath.trim() === '') throw new ToolInputError('path is empty');
  if (userPath.startsWith('~')) throw new ToolInputError(`path "${userPath}" uses ~, which is not supported; give a path inside the workspace`);
  if (userPath.includes('\0')) throw new ToolInputError(`path ${JSON.stringify(userPath)} contains a NUL byte`);
  const absolute = isAbsolute(userPath) ? resolve(userPath) : resolve(root, userPath);
  if (!isInside(root, absolute)) throw new ToolInputError(`path "${userPath}" is outside the workspace`);

  const real = await realPathOfNearest(absolute);
  if (!isInside(root, real)) {
    throw new ToolInputError(`path "${userPath}" resolves outside the workspace (symlink to ${real})`);
  }
  const rel = toPosix(relative(root, real)) || '.';
  if (opts.forWrite && rel.split('/').includes('.git')) {
    throw new ToolInputError(`path "${userPath}" is inside .git/, which is read-only`);
  }
  return { absolute: real, relative: rel };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * realpath of the path, or of its nearest existing ancestor joined with the
 * rest (for files not yet created). A dangling symlink is followed by hand,
 * since writing through it would create its target.
 */
async function realPathOfNearest(path: string, depth = 0): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length === 0 ? real : join(real, ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const link = await lstat(current).catch(() => undefined);
      if (link?.isSymbolicLink() && depth < 40) {
        const target = resolve(dirname(current), await readlink(current));
        return realPathOfNearest(missing.length === 0 ? target : join(target, ...missing.reverse()), depth + 1);
      }
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
