import type { FinalState, PathChange, TreeEntry } from '../../src/publish/finalFiles.js';
import { judgeChanges, unsafeName } from '../../src/publish/judgeChanges.js';
import { createSecretFinder } from '../../src/secrets/secretVariants.js';
import { protectedMatcher } from '../../src/guard/protectedPaths.js';

const SECRET = 'deploy-secret-DDDDDDDDDDDDDDDD';
const findSecret = createSecretFinder([SECRET]);
const isProtected = protectedMatcher(['.github/workflows/**', '.git/**']);

const entry = (oid = 'a'.repeat(40), mode = '100644'): TreeEntry => ({ mode, oid });
const file = (text: string): FinalState => ({ kind: 'file', mode: '100644', data: Buffer.from(text), oid: 'f'.repeat(40) });
const link = (target: string): FinalState => ({ kind: 'symlink', target: Buffer.from(target), oid: 'e'.repeat(40) });
const absent: FinalState = { kind: 'absent' };

function judge(changes: PathChange[], basePaths: string[] = []) {
  const base = new Map(basePaths.map((path) => [path, entry()] as const));
  for (const change of changes) if (change.before) base.set(change.path, change.before);
  const result = judgeChanges({ changes, base, isProtected, findSecret });
  return { applied: result.apply.map((change) => change.path), notes: result.notes };
}

describe('judgeChanges', () => {
  it('applies ordinary additions, modifications and deletions', () => {
    expect(
      judge([
        { path: 'new.txt', after: file('hello') },
        { path: 'README.md', before: entry(), after: file('changed') },
        { path: 'old.txt', before: entry(), after: absent },
        { path: 'link', after: link('README.md') },
      ]),
    ).toEqual({ applied: ['new.txt', 'README.md', 'old.txt', 'link'], notes: [] });
  });

  it('keeps protected paths as they were, whatever the change', () => {
    expect(
      judge([
        { path: '.github/workflows/ci.yml', before: entry(), after: file('on: push') },
        { path: '.github/workflows/old.yml', before: entry(), after: absent },
        { path: '.github/workflows/new.yml', after: link('/etc/passwd') },
      ]),
    ).toEqual({
      applied: [],
      notes: [
        'a change to the protected path .github/workflows/ci.yml was undone before commit (protected_paths)',
        'a change to the protected path .github/workflows/old.yml was undone before commit (protected_paths)',
        'a change to the protected path .github/workflows/new.yml was undone before commit (protected_paths)',
      ],
    });
  });

  it('leaves out a secret in content (raw or encoded), in a symlink target, or in a new name — without naming it', () => {
    const result = judge([
      { path: 'notes.txt', after: file(`key ${SECRET}`) },
      { path: 'README.md', before: entry(), after: file(Buffer.from(SECRET).toString('base64')) },
      { path: 'link', after: link(`/tmp/${Buffer.from(SECRET).toString('hex')}`) },
      { path: `docs/${SECRET}/a.txt`, after: file('x') },
    ]);
    expect(result.applied).toEqual([]);
    expect(result.notes).toEqual([
      'a change to notes.txt contained a secret value, so it was undone before commit',
      'a change to README.md contained a secret value (base64), so it was undone before commit',
      'a change to link (a symlink whose target carries a secret value) was undone before commit',
      'a new file whose name carries a secret value was left out of the commit',
    ]);
  });

  it('leaves out what is not a file or a symlink, and names git refuses', () => {
    expect(
      judge([
        { path: 'pipe', after: { kind: 'refused', reason: 'it is not a regular file or a symlink (a FIFO)' } },
        { path: 'vendor/.GIT/hooks/pre-push', after: file('x') },
      ]),
    ).toEqual({
      applied: [],
      notes: [
        'pipe was left out of the commit: it is not a regular file or a symlink (a FIFO)',
        'vendor/.GIT/hooks/pre-push was left out of the commit: its name has a .git component',
      ],
    });
  });

  it('leaves out a new entry that a kept path leaves no room for', () => {
    // The agent replaced .github/ with a symlink: the protected workflow stays, so the symlink cannot take its place.
    expect(
      judge([
        { path: '.github/workflows/ci.yml', before: entry(), after: absent },
        { path: '.github/dependabot.yml', before: entry(), after: absent },
        { path: '.github', after: link('/tmp/elsewhere') },
      ]),
    ).toEqual({
      applied: ['.github/dependabot.yml'],
      notes: [
        'a change to the protected path .github/workflows/ci.yml was undone before commit (protected_paths)',
        '.github was left out of the commit: .github/workflows/ci.yml stays as it was',
      ],
    });
    // A file kept where the agent made a directory.
    expect(
      judge([
        { path: 'data', before: entry(), after: { kind: 'refused', reason: 'it is a socket' } },
        { path: 'data/x.txt', after: file('x') },
      ]).notes,
    ).toEqual(['data was left out of the commit: it is a socket', 'data/x.txt was left out of the commit: data stays as it was']);
  });
});

describe('unsafeName', () => {
  it.each([
    ['src/a.js', undefined],
    ['.gitignore', undefined],
    ['a/.git/config', 'its name has a .git component'],
    ['a/.Git./x', 'its name has a .git component'],
    ['GIT~1/x', 'its name has a .git component'],
    ['a//b', 'its name has an empty, "." or ".." component'],
    ['a/../b', 'its name has an empty, "." or ".." component'],
  ])('%s', (path, reason) => expect(unsafeName(path)).toBe(reason));
});
