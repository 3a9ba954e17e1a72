import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runAsRoot, type RootAccess } from './privilege.js';

/** The world-writable places outside the workspace where the box's user can leave files. */
function sharedDirs(): string[] {
  return [...new Set(['/tmp', '/var/tmp', '/dev/shm', tmpdir()])].filter((dir) => existsSync(dir));
}

/**
 * Removes what the box's user left in the shared temporary directories, once its
 * processes are gone and before the user is deleted (after that its files would
 * belong to a number nobody owns, for the next user given it). Matches by owner,
 * never by name; the workspace and the box's own directory are never entered.
 * Returns how many top-level entries were removed and how many are still there.
 */
export async function removeLeftovers(opts: {
  access: RootAccess;
  env: NodeJS.ProcessEnv;
  uid: number;
  keep: string[];
}): Promise<{ removed: number; left: number }> {
  const dirs = sharedDirs();
  const owned = (action: string[]) => [
    'find',
    ...dirs,
    '-xdev',
    ...opts.keep.flatMap((path) => ['-path', path, '-prune', '-o']),
    '-user',
    String(opts.uid),
    '-prune',
    ...action,
  ];
  // One NUL per entry: a count that no file name (nor find's complaints on stderr) can garble.
  const count = async () => {
    const result = await runAsRoot(opts.access, owned(['-printf', '\\0']), opts.env);
    return result.output.split('\0').length - 1;
  };
  const found = await count();
  if (found === 0) return { removed: 0, left: 0 };
  await runAsRoot(opts.access, owned(['-exec', 'rm', '-rf', '--', '{}', '+']), opts.env);
  const left = await count();
  return { removed: found - left, left };
}
