import type { CleanRoom } from '../git/cleanRoom.js';
import { gitOk, runGit } from '../git/safeGit.js';

/**
 * The local entry keeps the work on a branch of the user's checkout instead
 * of pushing. The room's new objects are handed over as a pack (no fetch
 * that the checkout's config could redirect), the branch is pointed at the
 * commit — replacing any commits the agent made on it — and, when it is the
 * checked-out branch, the index is reset to it, so `git status` shows only
 * what was left out of the commit. Hooks and the like stay off here too.
 */
export async function keepOnLocalBranch(opts: { room: CleanRoom; commit: string; start: string; branch: string }): Promise<void> {
  const { room } = opts;
  const pack = await gitOk(room.git, ['pack-objects', '--revs', '--stdout', '--quiet'], { input: `${opts.commit}\n^${opts.start}\n` });
  const checkout = { ...room.workspaceGit, env: { ...room.workspaceGit.env, GIT_DIR: room.workspaceGitDir } };
  await gitOk(checkout, ['unpack-objects', '-q'], { input: pack });
  await gitOk(checkout, ['update-ref', '-m', 'nightshift: the published commit', `refs/heads/${opts.branch}`, opts.commit]);
  const head = await runGit(checkout, ['symbolic-ref', '--quiet', 'HEAD']);
  if (head.stdout.toString().trim() === `refs/heads/${opts.branch}`) await gitOk(checkout, ['read-tree', opts.commit]);
}
