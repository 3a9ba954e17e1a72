import { lstat } from 'node:fs/promises';
import { mustRunAsRoot, runAsRoot, type RootAccess } from './privilege.js';

/**
 * The run's own files in the workspace (the credentials file google-github-actions/auth writes
 * there) stay the runner's user's alone once the workspace is the box's: the hand-over's
 * `chown -R` made them the agent's, so they go back to their owner with mode 600 before any
 * command of the agent runs. The agent's user still owns the directory, so it can rename or
 * delete such a file, never read it. `undo` puts the mode back (the hand-back restores the owner).
 */
export async function keepPrivate(opts: {
  access: RootAccess;
  env: NodeJS.ProcessEnv;
  files: string[];
  /** What the hand-over found the workspace owned by. */
  owner: { uid: number; gid: number };
}): Promise<{ undo: () => Promise<void> }> {
  const restore: Array<[string, string]> = [];
  for (const file of opts.files) {
    const info = await lstat(file).catch(() => undefined);
    // A symlink is never followed by root: only a regular file is the one the auth step wrote.
    if (!info?.isFile()) continue;
    await mustRunAsRoot(opts.access, ['chown', '-h', `${opts.owner.uid}:${opts.owner.gid}`, '--', file], opts.env);
    await mustRunAsRoot(opts.access, ['chmod', '600', '--', file], opts.env);
    restore.push([file, (info.mode & 0o7777).toString(8)]);
  }
  return {
    undo: async () => {
      for (const [file, mode] of restore) await runAsRoot(opts.access, ['chmod', mode, '--', file], opts.env);
    },
  };
}
