import { createOctokit } from '../../src/github/octokit.js';
import { ProgressComment } from '../../src/progress/progressComment.js';
import type { ProgressState } from '../../src/progress/renderProgress.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

const state = (status: string, steps: number, extra: Partial<ProgressState> = {}): ProgressState => ({
  status,
  steps,
  maxSteps: 30,
  elapsedMs: 65_000,
  tokens: 12_345,
  costUsd: 0.1234,
  actions: [{ summary: 'bash: npm test', done: true }],
  ...extra,
});

describe('ProgressComment', () => {
  let github: FakeGitHub;
  let log: string[];
  beforeEach(async () => {
    github = await startFakeGitHub({ owner: 'octo', repo: 'demo' });
    github.addIssue({ number: 7, title: 't', body: 'b', user: 'alice' });
    log = [];
  });
  afterEach(() => github.close());

  const progress = async (minIntervalMs = 60_000) =>
    new ProgressComment({
      octokit: await createOctokit({ token: 'ghs_test', baseUrl: github.url }),
      owner: 'octo',
      repo: 'demo',
      issueNumber: 7,
      reaction: { kind: 'issue_comment', id: 501 },
      minIntervalMs,
      log: (line) => log.push(line),
    });

  it('reacts, writes one comment, throttles edits, and edits at once on a status change', async () => {
    const comment = await progress();
    await comment.start(state('working', 0));
    await comment.update(state('working', 1));
    await comment.update(state('working', 2));
    await comment.update(state('checking', 3));
    await comment.finish(
      state('✅ completed', 4, {
        resultLine: 'Pull request: https://github.com/octo/demo/pull/8',
        prUrl: 'https://github.com/octo/demo/pull/8',
        runUrl: 'https://github.com/octo/demo/actions/runs/1',
      }),
    );

    expect(github.reactions).toEqual([{ subject: 'issues/comments/501', content: 'eyes' }]);
    const writes = github.requests.filter((request) => /\/comments(\/\d+)?$/.test(request.path) && request.method !== 'GET');
    // Created once; the two same-status updates inside the interval are not written; the status change and the end are.
    expect(writes.map((request) => request.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    const [comment7] = github.comments(7);
    expect(github.comments(7)).toHaveLength(1);
    expect(comment7!.body).toBe(
      '<!-- nightshift:progress -->\n**Nightshift** · ✅ completed · step 4/30 · 1m 5s · 12,345 tokens · $0.12\n\nPull request: https://github.com/octo/demo/pull/8\n\n- [x] bash: npm test\n\n[pull request](https://github.com/octo/demo/pull/8) · [run log](https://github.com/octo/demo/actions/runs/1)',
    );
  });

  it('reuses the progress comment of an earlier run on the same thread', async () => {
    await (await progress()).start(state('working', 0));
    await (await progress()).start(state('working', 0));
    expect(github.comments(7)).toHaveLength(1);
  });

  it('never throws when GitHub fails, and stops trying until the end', async () => {
    github.failNext('POST', /\/issues\/7\/comments$/, { status: 502, times: 100 });
    github.failNext('POST', /reactions$/, { status: 403, body: { message: 'Resource not accessible by integration' } });
    const comment = await progress(0);
    await comment.start(state('working', 0));
    await comment.update(state('working', 1));
    await comment.update(state('checking', 2));
    const attempts = github.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/comments')).length;
    expect(attempts).toBe(1);
    expect(log[0]).toMatch(/^could not add the 👀 reaction on #7: Resource not accessible by integration/);
    expect(log[1]).toMatch(/^could not update the progress comment on #7: /);
  });
});
