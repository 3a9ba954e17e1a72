import { pinProblem, platformFiles, usesOf, type UsesEntry } from '../support/platformFiles.js';

// GitHub's security hardening guide: a tag can be moved to other code; a full commit SHA cannot.
const entries = platformFiles().flatMap(usesOf);

describe('third-party actions', () => {
  it('are used somewhere (so the check below has something to check)', () => {
    expect(entries.filter((entry) => pinProblem(entry) === undefined && /@[0-9a-f]{40}$/.test(entry.uses)).length).toBeGreaterThan(0);
    expect(entries.map((entry) => entry.file)).toContain('action.yml');
  });

  it('are pinned by full commit SHA with the version in a comment, in action.yml, the workflows and the examples', () => {
    const problems = entries.flatMap((entry) => {
      const problem = pinProblem(entry);
      return problem ? [`${entry.file}: uses: ${entry.uses} — ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('the same action at the same SHA carries the same version comment everywhere', () => {
    const versions = new Map<string, Set<string>>();
    for (const entry of entries.filter((each) => /@[0-9a-f]{40}$/.test(each.uses))) {
      versions.set(entry.uses, (versions.get(entry.uses) ?? new Set()).add(entry.comment));
    }
    const inconsistent = [...versions].filter(([, comments]) => comments.size > 1).map(([uses, comments]) => `${uses}: ${[...comments].join(' / ')}`);
    expect(inconsistent).toEqual([]);
  });
});

describe('the pin check', () => {
  const check = (uses: string, comment = '', file = '.github/workflows/x.yml') => pinProblem({ file, uses, comment } satisfies UsesEntry);

  it('accepts a SHA with a version comment, local actions, and our own tag in the examples', () => {
    expect(check('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', 'v4.2.2')).toBeUndefined();
    expect(check('./')).toBeUndefined();
    expect(check('./.github/actions/setup')).toBeUndefined();
    expect(check('nightshift-dev/nightshift@v0', '', '.github/examples/issue-label.yml')).toBeUndefined();
  });

  it('refuses tags, branches, short SHAs, a missing version comment, and our own tag outside the examples', () => {
    expect(check('actions/checkout@v4')).toMatch(/"v4" is not a full 40-character commit SHA/);
    expect(check('actions/checkout@main')).toMatch(/not a full/);
    expect(check('actions/checkout@11bd719')).toMatch(/not a full/);
    expect(check('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683')).toMatch(/no version comment/);
    expect(check('actions/checkout')).toMatch(/no ref/);
    expect(check('nightshift-dev/nightshift@v0', '', '.github/workflows/ci.yml')).toMatch(/not a full/);
    expect(check('docker://alpine:3')).toMatch(/digest/);
  });

  it('reads the version comment from the line of the uses', () => {
    const content =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: a/b@0123456789012345678901234567890123456789 # v1.2.3\n      - uses: "c/d@v2"\n';
    expect(usesOf({ path: 'w.yml', kind: 'workflow', content })).toEqual([
      { file: 'w.yml', uses: 'a/b@0123456789012345678901234567890123456789', comment: 'v1.2.3' },
      { file: 'w.yml', uses: 'c/d@v2', comment: '' },
    ]);
  });
});
