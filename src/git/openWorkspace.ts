import { realpath } from 'node:fs/promises';
import { openCleanRoom, type CleanRoom } from './cleanRoom.js';
import { removePersistedCredentials } from './credentials.js';

export interface Workspace {
  /** The checkout the agent works in, resolved (no symlinks). */
  path: string;
  /** The git directory publication happens from, opened before the agent can touch anything. */
  room: CleanRoom;
}

/**
 * The clean room for a run, opened from the checkout as actions/checkout
 * left it. It only reads the checkout, so it can open while the trigger is
 * still being checked. The caller removes it (`room.dispose`) however the run ends.
 */
export async function openWorkspace(opts: {
  env: NodeJS.ProcessEnv;
  tempDir: string;
  token: string;
  serverUrl: string;
  repository?: { owner: string; repo: string };
}): Promise<Workspace> {
  const path = await realpath(opts.env.GITHUB_WORKSPACE ?? process.cwd());
  const room = await openCleanRoom({
    workspace: path,
    tempDir: opts.tempDir,
    env: opts.env,
    token: opts.token,
    serverUrl: opts.serverUrl,
    repository: opts.repository,
  });
  return { path, room };
}

/**
 * Takes away the git credential actions/checkout left in the checkout, so the
 * agent never finds a token in it — only once the run is going ahead (a later
 * step of a skipped run may still need it). Its values become known secrets.
 */
export async function takeCheckoutCredential(workspace: Workspace, tempDir: string): Promise<{ secrets: string[]; removed?: string }> {
  const persisted = await removePersistedCredentials({ git: workspace.room.workspaceGit, tempDir });
  return { secrets: persisted.secrets, removed: persisted.keys.length > 0 ? [...persisted.keys, ...persisted.files].join(', ') : undefined };
}
