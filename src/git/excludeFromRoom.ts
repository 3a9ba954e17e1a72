import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanRoom } from './cleanRoom.js';

/**
 * Paths publication never takes, whatever the workspace's `.gitignore` says: the room's own
 * `info/exclude`, which the listing of the final files reads (`--exclude-standard` with the
 * room as GIT_DIR) and the agent cannot reach. Each is anchored and escaped, so it names that
 * one file and nothing else.
 */
export async function excludeFromRoom(room: CleanRoom, paths: string[]): Promise<void> {
  if (paths.length === 0) return;
  const info = join(room.gitDir, 'info');
  await mkdir(info, { recursive: true });
  const lines = paths.map((path) => `/${path.replace(/[\\*?[\]!# ]/g, '\\$&')}`);
  await writeFile(join(info, 'exclude'), `${lines.join('\n')}\n`);
}
