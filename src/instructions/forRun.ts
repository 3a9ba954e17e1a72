import type { CleanRoom } from '../git/cleanRoom.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import type { GitHubTarget } from '../github/target.js';
import type { TaskSource } from '../records/task.js';
import { errorMessage } from '../text/errorMessage.js';
import { instructionsBase } from './baseCommit.js';
import { loadInstructions, type RepositoryInstructions } from './loadInstructions.js';
import { pullRequestBase } from './pullBase.js';

/** The instructions for one run: from the pull request's base for work on a PR, else from the work branch's base. */
export async function instructionsForRun(opts: {
  room: CleanRoom;
  work: WorkBranch;
  source: TaskSource;
  eventPath?: string;
  github?: GitHubTarget;
  workflow: string;
}): Promise<RepositoryInstructions> {
  const { source, room, work } = opts;
  const pullBase = source.kind === 'pull' ? await pullRequestBase({ number: source.number, eventPath: opts.eventPath, github: opts.github }) : undefined;
  const base =
    source.kind === 'pull' && pullBase === undefined
      ? { missing: `the base branch of pull request #${source.number} could not be found` }
      : await instructionsBase({ room, work, pullBase }).catch((error: unknown) => ({ missing: errorMessage(error) }));
  return loadInstructions({ room, base, workflow: opts.workflow });
}
