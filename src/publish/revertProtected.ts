import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git, tryGit, type GitOptions } from './git.js';

/**
 * The last fence before commit: whatever route changed a protected path (the
 * editor refuses, but a shell command can still write), the change is undone
 * here and reported. Tracked files are restored from HEAD; new files removed.
 */
export async function revertProtectedChanges(local: GitOptions, isProtected: (path: string) => boolean): Promise<string[]> {
  const status = await git(local, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const entries = status.split('\0');
  const reverted: string[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (entry.length < 4) continue;
    const code = entry.slice(0, 2);
    const path = entry.slice(3);
    const renamedFrom = code[0] === 'R' || code[0] === 'C' ? entries[++index] : undefined;
    for (const candidate of [path, renamedFrom].filter((item): item is string => !!item && isProtected(item))) {
      const tracked = (await tryGit(local, ['cat-file', '-e', `HEAD:${candidate}`])).exitCode === 0;
      if (tracked) await git(local, ['checkout', 'HEAD', '--', candidate]);
      else {
        await tryGit(local, ['rm', '--cached', '--quiet', '--', candidate]);
        await rm(join(local.cwd, candidate), { force: true, recursive: true });
      }
      reverted.push(candidate);
    }
  }
  return reverted;
}
