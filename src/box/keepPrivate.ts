import { lstat, readFile, writeFile } from 'node:fs/promises';
import { mustRunAsRoot, runAsRoot, type RootAccess } from './privilege.js';

/**
 * The run's own files in the workspace (the credentials file google-github-actions/auth writes
 * there) stay the runner's user's alone once the workspace is the box's: the hand-over's
 * `chown -R` made them the agent's, so they go back to their owner with mode 600 before any
 * command of the agent runs. The agent's user still owns the directory, so it can rename,
 * delete or replace such a file, never read it: `undo` puts the file back as it was (its bytes
 * and mode) for the workflow's later steps; the hand-back then restores its owner.
 */
export async function keepPrivate(opts: {
  access: RootAccess;
  env: NodeJS.ProcessEnv;
  files: string[];
  /** What the hand-over found the workspace owned by. */
  owner: { uid: number; gid: number };
}): Promise<{ undo: () => Promise<void> }> {
  const kept: Array<{ file: string; mode: string; bytes: Buffer }> = [];
  for (const file of opts.files) {
    const info = await lstat(file).catch(() => undefined);
    // A symlink is never followed by root: only a regular file is the one the auth step wrote.
    if (!info?.isFile()) continue;
    await mustRunAsRoot(opts.access, ['chown', '-h', `${opts.owner.uid}:${opts.owner.gid}`, '--', file], opts.env);
    await mustRunAsRoot(opts.access, ['chmod', '600', '--', file], opts.env);
    kept.push({ file, mode: (info.mode & 0o7777).toString(8), bytes: await readFile(file) });
  }
  return { undo: async () => void (await Promise.all(kept.map((each) => putBack(opts, each)))) };
}

async function putBack(opts: { access: RootAccess; env: NodeJS.ProcessEnv }, kept: { file: string; mode: string; bytes: Buffer }): Promise<void> {
  const info = await lstat(kept.file).catch(() => undefined);
  const same = info?.isFile() && (await readFile(kept.file).catch(() => undefined))?.equals(kept.bytes);
  if (!same) {
    // Whatever the agent left at that name (a file, a link; never a directory's contents) goes first.
    if (info && !info.isDirectory()) await runAsRoot(opts.access, ['rm', '-f', '--', kept.file], opts.env);
    if (!info || !info.isDirectory()) await writeFile(kept.file, kept.bytes, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
  }
  await runAsRoot(opts.access, ['chmod', kept.mode, '--', kept.file], opts.env);
}
