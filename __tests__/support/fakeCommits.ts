import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A commit that reached the fake's origin: through createCommitOnBranch (signed by "GitHub") or a git push (unsigned). */
export interface RecordedCommit {
  oid: string;
  branch: string;
  verified: boolean;
  via: 'createCommitOnBranch' | 'push';
  headline: string;
  body: string;
  /** The token the request carried. */
  token: string;
}

function git(origin: string, args: string[], opts: { input?: Buffer | string; env?: Record<string, string> } = {}): string {
  return execFileSync('git', ['--git-dir', origin, ...args], {
    input: opts.input,
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', ...opts.env },
    maxBuffer: 256 * 1024 * 1024,
  })
    .toString('utf8')
    .trim();
}

/** The commit a branch of origin points to; undefined when there is none. */
export function refOf(origin: string, branch: string): string | undefined {
  try {
    return git(origin, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);
  } catch {
    return undefined;
  }
}

export function hasCommit(origin: string, sha: string): boolean {
  try {
    git(origin, ['cat-file', '-e', `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/** Every branch of origin and its commit. */
export function heads(origin: string): Map<string, string> {
  const lines = git(origin, ['for-each-ref', '--format=%(refname:strip=2) %(objectname)', 'refs/heads']).split('\n').filter(Boolean);
  return new Map(lines.map((line) => line.split(' ') as [string, string]));
}

export function setRef(origin: string, branch: string, sha: string, old?: string): void {
  git(origin, ['update-ref', `refs/heads/${branch}`, sha, ...(old ? [old] : [])]);
}

type GraphqlAnswer = [number, unknown];

/**
 * createCommitOnBranch as GitHub documents it, made for real on the bare
 * origin with plumbing: the branch must exist and point to expectedHeadOid
 * (STALE_DATA otherwise), additions are base64 contents, deletions paths; the
 * commit is authored by the token's account, committed by GitHub, and answers
 * `commit {oid, url}`. Errors come in GraphQL's form, with HTTP 200.
 */
export function createCommitOnBranch(opts: {
  origin: string;
  full: string;
  input: any;
  author: { name: string; email: string };
}): GraphqlAnswer & { oid?: string } {
  const { origin, input } = opts;
  const error = (type: string, message: string): GraphqlAnswer => [
    200,
    { data: { createCommitOnBranch: null }, errors: [{ type, path: ['createCommitOnBranch'], message }] },
  ];
  const name = input?.branch?.branchName;
  if (input?.branch?.repositoryNameWithOwner !== opts.full || typeof name !== 'string')
    return error('NOT_FOUND', `Could not resolve to a Repository with the name '${input?.branch?.repositoryNameWithOwner}'.`);
  if (typeof input.message?.headline !== 'string' || input.message.headline.trim() === '')
    return error('UNPROCESSABLE', 'A commit message headline is required.');
  if (typeof input.expectedHeadOid !== 'string') return error('INVALID', 'expectedHeadOid is required');
  const head = refOf(origin, name);
  if (!head) return error('NOT_FOUND', `A ref named "refs/heads/${name}" does not exist.`);
  if (head !== input.expectedHeadOid) return error('STALE_DATA', `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
  const scratch = mkdtempSync(join(tmpdir(), 'fake-commit-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    git(origin, ['read-tree', head], { env });
    const lines: string[] = [];
    for (const { path } of input.fileChanges?.deletions ?? []) lines.push(`0 ${'0'.repeat(40)}\t${path}\0`);
    for (const { path, contents } of input.fileChanges?.additions ?? []) {
      if (typeof contents !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(contents)) return error('INVALID', `Invalid base64 contents for ${path}`);
      const blob = git(origin, ['hash-object', '-w', '--stdin'], { input: Buffer.from(contents, 'base64') });
      lines.push(`100644 ${blob}\t${path}\0`);
    }
    git(origin, ['update-index', '-z', '--index-info'], { env, input: lines.join('') });
    const tree = git(origin, ['write-tree'], { env });
    const message = [input.message.headline, input.message.body ?? ''].filter((part: string) => part.trim() !== '').join('\n\n');
    const oid = git(origin, ['commit-tree', tree, '-p', head, '-F', '-'], {
      input: `${message}\n`,
      env: { GIT_AUTHOR_NAME: opts.author.name, GIT_AUTHOR_EMAIL: opts.author.email, GIT_COMMITTER_NAME: 'GitHub', GIT_COMMITTER_EMAIL: 'noreply@github.com' },
    });
    setRef(origin, name, oid, head);
    return Object.assign(
      [200, { data: { createCommitOnBranch: { commit: { oid, url: `https://github.com/${opts.full}/commit/${oid}` } } } }] as GraphqlAnswer,
      { oid },
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
