import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { git, tryGit, type GitOptions } from './git.js';

/**
 * The last fences before commit. Whatever route changed a file (the editor
 * refuses, but a shell command can still write), a change to a protected
 * path, or a changed file that contains a known secret value, is undone here
 * and reported: tracked files are restored from HEAD, new files removed.
 */
export async function revertProtectedChanges(local: GitOptions, isProtected: (path: string) => boolean): Promise<string[]> {
  const reverted: string[] = [];
  for (const path of await changedPaths(local)) {
    if (!isProtected(path)) continue;
    await revertPath(local, path);
    reverted.push(path);
  }
  return reverted;
}

export async function revertSecretBearingChanges(local: GitOptions, secrets: string[]): Promise<string[]> {
  const values = secrets.filter((secret) => secret.length >= 8);
  if (values.length === 0) return [];
  const reverted: string[] = [];
  for (const path of await changedPaths(local)) {
    const content = await readFile(join(local.cwd, path), 'utf8').catch(() => '');
    if (!values.some((secret) => content.includes(secret))) continue;
    await revertPath(local, path);
    reverted.push(path);
  }
  return reverted;
}

/** Paths that differ from HEAD, tracked or new (renames give both names). */
async function changedPaths(local: GitOptions): Promise<string[]> {
  const status = await git(local, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  const entries = status.split('\0');
  const paths: string[] = [];
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (entry.length < 4) continue;
    paths.push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') paths.push(entries[++index]!);
  }
  return paths;
}

async function revertPath(local: GitOptions, path: string): Promise<void> {
  const tracked = (await tryGit(local, ['cat-file', '-e', `HEAD:${path}`])).exitCode === 0;
  if (tracked) {
    await git(local, ['checkout', 'HEAD', '--', path]);
    return;
  }
  await tryGit(local, ['rm', '--cached', '--quiet', '--', path]);
  await rm(join(local.cwd, path), { force: true, recursive: true });
}
