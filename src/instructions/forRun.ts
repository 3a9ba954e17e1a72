import type { CleanRoom } from '../git/cleanRoom.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import type { TaskSource } from '../records/task.js';
import { errorMessage } from '../text/errorMessage.js';
import { instructionsBase } from './baseCommit.js';
import { loadInstructions, type RepositoryInstructions } from './loadInstructions.js';

/** The instructions for one run: from the pull request's base for work on a PR, else from the work branch's base. */
export async function instructionsForRun(opts: { room: CleanRoom; work: WorkBranch; source: TaskSource; workflow: string }): Promise<RepositoryInstructions> {
  const { source, room, work } = opts;
  // The trigger read the PR's base from the payload or from the PR itself.
  const base =
    source.kind === 'pull' && source.baseBranch === ''
      ? { missing: `the base branch of pull request #${source.number} could not be found` }
      : await instructionsBase({ room, work, pullBase: source.kind === 'pull' ? source.baseBranch : undefined }).catch((error: unknown) => ({
          missing: errorMessage(error),
        }));
  return loadInstructions({ room, base, workflow: opts.workflow });
}
