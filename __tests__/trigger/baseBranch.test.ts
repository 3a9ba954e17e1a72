import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseBranchFor } from '../../src/trigger/baseBranch.js';
import { runContext } from '../../src/trigger/runContext.js';

describe('the branch the work starts from', () => {
  const decide = (input: string, eventName: string, ref: string | undefined, defaultBranch: string | undefined) => {
    const notices: string[] = [];
    const branch = baseBranchFor({ input, context: { eventName, ref, defaultBranch }, notice: (line) => notices.push(line) });
    return { branch, notices };
  };

  it.each([
    ['a workflow_dispatch from feature', '', 'workflow_dispatch', 'refs/heads/feature', 'feature'],
    ['a workflow_dispatch from a branch with slashes', '', 'workflow_dispatch', 'refs/heads/team/feature-x', 'team/feature-x'],
    ['a workflow_dispatch from the default branch', '', 'workflow_dispatch', 'refs/heads/main', 'main'],
    ['base_branch over the dispatched branch', 'release', 'workflow_dispatch', 'refs/heads/feature', 'release'],
    ['base_branch on any other event', 'release', 'issues', 'refs/heads/main', 'release'],
    ['the default branch for a schedule', '', 'schedule', 'refs/heads/main', 'main'],
    ['the default branch for an issue event', '', 'issue_comment', 'refs/heads/main', 'main'],
    // Only the Run-workflow menu is a choice of branch; a push's branch is not a base.
    ['the default branch for a push to feature', '', 'push', 'refs/heads/feature', 'main'],
    ['the default branch for a dispatch with no ref (a local run)', '', 'workflow_dispatch', undefined, 'main'],
  ])('%s', (_name, input, eventName, ref, expected) => {
    expect(decide(input, eventName, ref, 'main')).toEqual({ branch: expected, notices: [] });
  });

  it.each([
    [
      'refs/tags/v1.0.0',
      'main',
      'workflow_dispatch ran on refs/tags/v1.0.0, which is not a branch: the work starts from main, the default branch (set base_branch to choose another)',
    ],
    [
      'refs/pull/9/merge',
      'trunk',
      'workflow_dispatch ran on refs/pull/9/merge, which is not a branch: the work starts from trunk, the default branch (set base_branch to choose another)',
    ],
    [
      'refs/tags/v2',
      undefined,
      "workflow_dispatch ran on refs/tags/v2, which is not a branch: the work starts from the repository's default branch (set base_branch to choose another)",
    ],
  ])('a workflow_dispatch on %s starts from the default branch, with a notice', (ref, defaultBranch, notice) => {
    expect(decide('', 'workflow_dispatch', ref, defaultBranch)).toEqual({ branch: defaultBranch, notices: [notice] });
  });

  it('says nothing about a tag when base_branch is set', () => {
    expect(decide('release', 'workflow_dispatch', 'refs/tags/v1.0.0', 'main')).toEqual({ branch: 'release', notices: [] });
  });
});

describe('runContext: the ref the run is on', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nightshift-ref-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const contextFor = async (payload: unknown, env: Record<string, string> = {}) => {
    const eventPath = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(eventPath, JSON.stringify(payload));
    return runContext({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PATH: eventPath, ...env }, dir);
  };

  it("takes GITHUB_REF, then the payload's ref", async () => {
    const payload = { ref: 'refs/heads/from-payload', repository: { default_branch: 'main' } };
    expect(await contextFor(payload, { GITHUB_REF: 'refs/heads/feature' })).toMatchObject({ ref: 'refs/heads/feature', defaultBranch: 'main' });
    expect(await contextFor(payload)).toMatchObject({ ref: 'refs/heads/from-payload', defaultBranch: 'main' });
  });

  it('reads the ref even from a payload without a repository', async () => {
    expect(await contextFor({ ref: 'refs/heads/feature' })).toMatchObject({ ref: 'refs/heads/feature', defaultBranch: undefined });
    expect(await contextFor({ ref: 42 })).toMatchObject({ ref: undefined });
  });
});
