import type { CleanRoom } from '../git/cleanRoom.js';
import { readFinalFiles } from './finalFiles.js';

/**
 * Whether the workspace holds exactly the files of the commit the run
 * started from, read the way publication reads them. Anything that cannot
 * be told counts as changed: the gate then runs its checks as it always did.
 */
export async function workspaceUnchanged(room: CleanRoom, start: string): Promise<boolean> {
  try {
    const { changes } = await readFinalFiles(room, start);
    return changes.length === 0;
  } catch {
    return false;
  }
}
