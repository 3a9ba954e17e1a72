import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mustRunAsRoot, runAsRoot, type RootAccess } from './privilege.js';

/**
 * The agent's user must reach the workspace through its parent directories:
 * on GitHub's Ubuntu images /home/runner is mode 750, and a temporary
 * directory is 700. Each parent it cannot search gets search permission
 * (`x`, never read) for that user alone with an ACL where `setfacl` exists,
 * else for others with `chmod o+x`; `undo` puts every one back.
 */
export async function grantTraverse(opts: {
  access: RootAccess;
  env: NodeJS.ProcessEnv;
  path: string;
  uid: number;
  gid: number;
}): Promise<{ granted: string[]; undo: () => Promise<void> }> {
  const blocked: string[] = [];
  for (let dir = dirname(opts.path); ; dir = dirname(dir)) {
    const info = await stat(dir);
    if (!canSearch(info, opts.uid, opts.gid)) blocked.unshift(dir);
    if (dir === dirname(dir)) break;
  }
  if (blocked.length === 0) return { granted: [], undo: async () => undefined };
  const acl = (await runAsRoot(opts.access, ['setfacl', '--version'], opts.env)).exitCode === 0;
  for (const dir of blocked) {
    await mustRunAsRoot(opts.access, acl ? ['setfacl', '-m', `u:${opts.uid}:x`, dir] : ['chmod', 'o+x', dir], opts.env);
  }
  return {
    granted: blocked,
    undo: async () => {
      for (const dir of blocked) await runAsRoot(opts.access, acl ? ['setfacl', '-x', `u:${opts.uid}`, dir] : ['chmod', 'o-x', dir], opts.env);
    },
  };
}

/** Whether a user of its own (one group, its own) may search a directory, by its mode bits. */
function canSearch(info: { uid: number; gid: number; mode: number }, uid: number, gid: number): boolean {
  if (info.uid === uid) return (info.mode & 0o100) !== 0;
  if (info.gid === gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}
