import { realpath } from 'node:fs/promises';
import { openCleanRoom, type CleanRoom } from './cleanRoom.js';
import { removePersistedCredentials } from './credentials.js';

export interface Workspace {
  /** The checkout the agent works in, resolved (no symlinks). */
  path: string;
  /** The git directory publication happens from, opened before the agent can touch anything. */
  room: CleanRoom;
  /** Credentials actions/checkout left in the checkout's config, now removed: secrets for the rest of the run. */
  persistedSecrets: string[];
  /** What was removed, for the log. */
  removed?: string;
}

/**
 * The workspace for a run: the clean room first, then the checkout's own
 * git credential taken away, so the agent never finds a token in it.
 */
export async function openWorkspace(opts: {
  env: NodeJS.ProcessEnv;
  tempDir: string;
  token: string;
  serverUrl: string;
  repository?: { owner: string; repo: string };
  cleanups: Array<() => Promise<void>>;
}): Promise<Workspace> {
  const path = await realpath(opts.env.GITHUB_WORKSPACE ?? process.cwd());
  const room = await openCleanRoom({ workspace: path, tempDir: opts.tempDir, env: opts.env, token: opts.token, serverUrl: opts.serverUrl, repository: opts.repository });
  opts.cleanups.push(room.dispose);
  const persisted = await removePersistedCredentials({ git: room.workspaceGit, tempDir: opts.tempDir });
  const removed = persisted.keys.length > 0 ? [...persisted.keys, ...persisted.files].join(', ') : undefined;
  return { path, room, persistedSecrets: persisted.secrets, removed };
}
