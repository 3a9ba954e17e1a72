import { fetchOrigin, pushOrigin, type CleanRoom } from '../git/cleanRoom.js';
import { writeLooseObject } from '../git/gitObjects.js';
import { gitText, runGit } from '../git/safeGit.js';
import type { SecretFound } from '../secrets/secretVariants.js';
import { savedSession, type SavedSession } from './savedSession.js';

/**
 * Sessions live in the repository itself, on a ref outside branches
 * (`refs/nightshift/sessions/<thread>`): it survives the runner, needs no
 * artifact lookup across workflow runs, travels with the push credentials we
 * already have, and never shows up in the working branch's files or history.
 * Like the work, they are written and pushed from the clean room.
 */
function sessionRef(thread: number): string {
  return `refs/nightshift/sessions/${thread}`;
}

export async function saveSession(opts: {
  room: CleanRoom;
  state: SavedSession;
  redact: (text: string) => string;
  /** A pushed object must not carry a secret in any spelling the redactor does not mask. */
  findSecret?: (data: string) => SecretFound | undefined;
}): Promise<void> {
  const { room } = opts;
  const json = opts.redact(JSON.stringify(opts.state));
  const found = opts.findSecret?.(json);
  if (found) throw new Error(`the saved conversation would carry a secret value (${found.encoding})`);
  const blob = await writeLooseObject(room.gitDir, room.objectFormat, 'blob', Buffer.from(json));
  const tree = await gitText(room.git, ['mktree'], { input: `100644 blob ${blob}\tstate.json\n` });
  const commit = await gitText(room.git, ['commit-tree', tree, '-m', `Nightshift session for #${opts.state.thread}`], {
    vars: {
      GIT_AUTHOR_NAME: 'nightshift',
      GIT_AUTHOR_EMAIL: 'nightshift@localhost',
      GIT_COMMITTER_NAME: 'nightshift',
      GIT_COMMITTER_EMAIL: 'nightshift@localhost',
    },
  });
  const pushed = await pushOrigin(room, ['--force', `${commit}:${sessionRef(opts.state.thread)}`]);
  if (pushed.exitCode !== 0) throw new Error(`the session could not be pushed: ${pushed.stderr.trim().split('\n').at(-1) ?? ''}`);
}

export type LoadedSession = { kind: 'none' } | { kind: 'loaded'; state: SavedSession; commit: string } | { kind: 'unusable'; reason: string };

export async function loadSession(opts: { room: CleanRoom; thread: number; repository: string }): Promise<LoadedSession> {
  const ref = sessionRef(opts.thread);
  const fetched = await fetchOrigin(opts.room, [`+${ref}:${ref}`]);
  if (fetched.exitCode !== 0) return { kind: 'none' };
  const commit = await gitText(opts.room.git, ['rev-parse', `${ref}^{commit}`]);
  const shown = await runGit(opts.room.git, ['cat-file', 'blob', `${commit}:state.json`]);
  if (shown.exitCode !== 0) return { kind: 'unusable', reason: 'the saved session has no state.json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(shown.stdout.toString('utf8'));
  } catch {
    return { kind: 'unusable', reason: 'the saved session is not valid JSON' };
  }
  const result = savedSession.safeParse(parsed);
  if (!result.success)
    return { kind: 'unusable', reason: `the saved session does not have the expected shape (${result.error.issues[0]?.path.join('.') || 'root'})` };
  if (result.data.repository !== opts.repository || result.data.thread !== opts.thread)
    return { kind: 'unusable', reason: 'the saved session belongs to another repository or thread' };
  return { kind: 'loaded', state: result.data, commit };
}

/**
 * Claims the session for this run by deleting its ref only if it still points
 * where we read it: of two replies racing, exactly one resumes.
 */
export async function claimSession(opts: { room: CleanRoom; thread: number; commit: string }): Promise<boolean> {
  const ref = sessionRef(opts.thread);
  const pushed = await pushOrigin(opts.room, [`--force-with-lease=${ref}:${opts.commit}`, `:${ref}`]);
  return pushed.exitCode === 0;
}
