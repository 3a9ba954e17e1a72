import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, tryGit, type GitOptions } from '../publish/git.js';
import { savedSession, type SavedSession } from './savedSession.js';

/**
 * Sessions live in the repository itself, on a ref outside branches
 * (`refs/nightshift/sessions/<thread>`): it survives the runner, needs no
 * artifact lookup across workflow runs, travels with the push credentials we
 * already have, and never shows up in the working branch's files or history.
 */
export function sessionRef(thread: number): string {
  return `refs/nightshift/sessions/${thread}`;
}

export async function saveSession(opts: { local: GitOptions; remote: GitOptions; state: SavedSession; redact: (text: string) => string }): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nightshift-session-'));
  try {
    const file = join(dir, 'state.json');
    await writeFile(file, opts.redact(JSON.stringify(opts.state)));
    const blob = (await git(opts.local, ['hash-object', '-w', file])).trim();
    // A private index, so the work tree's staging area is never touched.
    const indexEnv = { ...opts.local, env: { ...opts.local.env, GIT_INDEX_FILE: join(dir, 'index') } };
    await git(indexEnv, ['update-index', '--add', '--cacheinfo', `100644,${blob},state.json`]);
    const tree = (await git(indexEnv, ['write-tree'])).trim();
    const commit = (await git(opts.local, ['-c', 'user.name=nightshift', '-c', 'user.email=nightshift@localhost', 'commit-tree', tree, '-m', `Nightshift session for #${opts.state.thread}`])).trim();
    await git(opts.remote, ['push', '--quiet', '--force', 'origin', `${commit}:${sessionRef(opts.state.thread)}`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type LoadedSession = { kind: 'none' } | { kind: 'loaded'; state: SavedSession; commit: string } | { kind: 'unusable'; reason: string };

export async function loadSession(opts: { local: GitOptions; remote: GitOptions; thread: number; repository: string }): Promise<LoadedSession> {
  const ref = sessionRef(opts.thread);
  const fetched = await tryGit(opts.remote, ['fetch', '--quiet', 'origin', `+${ref}:${ref}`]);
  if (fetched.exitCode !== 0) return { kind: 'none' };
  const commit = (await git(opts.local, ['rev-parse', ref])).trim();
  const shown = await tryGit(opts.local, ['show', `${ref}:state.json`]);
  if (shown.exitCode !== 0) return { kind: 'unusable', reason: 'the saved session has no state.json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(shown.output);
  } catch {
    return { kind: 'unusable', reason: 'the saved session is not valid JSON' };
  }
  const result = savedSession.safeParse(parsed);
  if (!result.success) return { kind: 'unusable', reason: `the saved session does not have the expected shape (${result.error.issues[0]?.path.join('.') || 'root'})` };
  if (result.data.repository !== opts.repository || result.data.thread !== opts.thread) return { kind: 'unusable', reason: 'the saved session belongs to another repository or thread' };
  return { kind: 'loaded', state: result.data, commit };
}

/**
 * Claims the session for this run by deleting its ref only if it still points
 * where we read it: of two replies racing, exactly one resumes.
 */
export async function claimSession(opts: { remote: GitOptions; thread: number; commit: string }): Promise<boolean> {
  const ref = sessionRef(opts.thread);
  const pushed = await tryGit(opts.remote, ['push', '--quiet', `--force-with-lease=${ref}:${opts.commit}`, 'origin', `:${ref}`]);
  return pushed.exitCode === 0;
}
