import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const fixture = eventFixture;
const EDITOR = 'str_replace_based_edit_tool';

describe('every way in (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('a comment mention runs the task, reacts, and keeps one progress comment up to date', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([toolUse('run_checks', {})]), reply([text(REPORT)]));
    const result = await scenario.run({ eventName: 'issue_comment', event: fixture('issue_comment.created.issue'), inputs: { verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', branch: 'nightshift/7-slugify-keeps-stray-dashes' });
    expect(scenario.github.reactions).toEqual([{ subject: 'issues/comments/501', content: 'eyes' }]);
    const first = scenario.model.requests[0]!.body.messages[0].content[0].text as string;
    expect(first).toMatch(/^<task>\nfix this, and add a test\n\nContext:\n<untrusted_content source="issue #7" author="alice">/);
    const writes = scenario.github.requests.filter((request) => /\/issues\/(7\/)?comments(\/\d+)?$/.test(request.path) && request.method !== 'GET');
    expect(writes[0]!.method).toBe('POST');
    expect(writes.slice(1).every((request) => request.method === 'PATCH')).toBe(true);
    // The status changed from working to checking to completed: each change was written.
    expect(writes.map((request) => /· (\S+ ?\S*) · step/.exec(request.body.body)?.[1])).toEqual(
      expect.arrayContaining(['working', 'checking', '✅ completed']),
    );
    const [progress] = scenario.github.comments(7);
    expect(scenario.github.comments(7)).toHaveLength(1);
    expect(progress!.body).toContain(`Pull request: ${scenario.github.pulls[0]!.html_url}`);
    expect(progress!.body).toContain('- [x] str_replace_based_edit_tool: str_replace src/slugify.js');
  });

  it('the first model request does not wait for the 👀 reaction or the first progress comment, and both still land before the last word', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    // A slow GitHub: the reaction is answered only once the model has been asked (or after 10 s, which fails the test).
    const modelAsked = new Promise<void>((resolve) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (scenario.model.requests.length > 0 || Date.now() - started > 10_000) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    const reaction = scenario.github.holdNext('POST', /\/reactions$/, modelAsked);
    const result = await scenario.run({ eventName: 'issue_comment', event: fixture('issue_comment.created.issue') });

    expect(result.outputs.status).toBe('completed');
    expect(scenario.model.requests[0]!.receivedAt).toBeLessThanOrEqual(reaction.releasedAt!);
    expect(scenario.github.reactions).toEqual([{ subject: 'issues/comments/501', content: 'eyes' }]);
    // The first comment and the final edit came after the reaction, in order: one comment, ending in the final state.
    const writes = scenario.github.requests.filter((request) => /\/issues\/(7\/)?comments(\/\d+)?$/.test(request.path) && request.method !== 'GET');
    expect(writes[0]!.method).toBe('POST');
    expect(scenario.github.comments(7)).toHaveLength(1);
    expect(scenario.github.comments(7)[0]!.body).toContain('✅ completed');
  });

  it('refuses a person without write permission: no model call, nothing changed, a clear line', async () => {
    scenario.github.setPermission('eve', 'read');
    const result = await scenario.run({ eventName: 'issue_comment', event: fixture('issue_comment.readonly') });

    expect(result.outputs.status).toBe('refused');
    expect(result.exitCode).toBe(0);
    expect(scenario.model.requests).toHaveLength(0);
    expect(result.stdout).toContain(
      'Nightshift refused: refused: @eve has read permission on octo/demo; write, maintain or admin is needed (or add them to allowed_users)',
    );
    expect(result.summary).toContain('## Nightshift: ⛔ refused');
    expect(scenario.github.comments(7)).toHaveLength(0);
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it.each([
    ['issue_comment', 'issue_comment.edited'],
    ['issue_comment', 'issue_comment.in_code'],
    ['issue_comment', 'issue_comment.self'],
    ['issues', 'issues.labeled.other'],
  ])('skips %s %s with one log line and nothing else', async (eventName, name) => {
    const result = await scenario.run({ eventName, event: fixture(name) });

    expect(result.outputs.status).toBe('skipped');
    expect(result.exitCode).toBe(0);
    expect(scenario.model.requests).toHaveLength(0);
    expect(result.summary).toBe('');
    expect(
      result.stdout
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('Nightshift')),
    ).toHaveLength(1);
    expect(scenario.github.requests.filter((request) => request.method !== 'GET')).toHaveLength(0);
  });

  it('a review comment continues the PR on its own branch, leaving its description alone', async () => {
    await scenario.repo.pushFromElsewhere('main', 'src/extra.js', 'export const x = 1;\n');
    await scenario.repo.git(['fetch', '--quiet', 'origin']);
    await scenario.repo.git(['push', '--quiet', 'origin', 'refs/remotes/origin/main:refs/heads/nightshift/7-slugify']);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const event = fixture('pull_request_review_comment.created');
    const result = await scenario.run({ eventName: 'pull_request_review_comment', event });

    expect(result.outputs).toMatchObject({
      status: 'completed',
      branch: 'nightshift/7-slugify',
      pr_number: '9',
      pr_url: 'https://github.com/octo/demo/pull/9',
    });
    expect(await scenario.repo.readBranchFile('nightshift/7-slugify', 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(await scenario.repo.readBranchFile('nightshift/7-slugify', 'src/extra.js')).toBe('export const x = 1;\n');
    expect(scenario.github.requests.filter((request) => /\/pulls(\/\d+)?$/.test(request.path) && request.method !== 'GET')).toHaveLength(0);
    expect(scenario.github.reactions).toEqual([{ subject: 'pulls/comments/777', content: 'eyes' }]);
    // The PR is the agent's own, from an earlier run: the log says so.
    expect(result.stdout).toContain('branch nightshift/7-slugify (continuing an earlier run) from main');
  });

  it("a review comment on a person's PR works on that PR's branch, and the log says so", async () => {
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/alice/fix-slugify']);
    await scenario.repo.pushFromElsewhere('alice/fix-slugify', 'src/alice.js', 'export const a = 1;\n');
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const event = fixture('pull_request_review_comment.created');
    event.pull_request.head.ref = 'alice/fix-slugify';
    event.pull_request.user = { login: 'alice', id: 11, type: 'User' };
    const result = await scenario.run({ eventName: 'pull_request_review_comment', event });

    expect(result.outputs).toMatchObject({ status: 'completed', branch: 'alice/fix-slugify', pr_number: '9' });
    expect(await scenario.repo.readBranchFile('alice/fix-slugify', 'src/alice.js')).toBe('export const a = 1;\n');
    expect(await scenario.repo.readBranchFile('alice/fix-slugify', 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(result.stdout).toContain("working on the pull request's branch alice/fix-slugify;");
    expect(result.stdout).not.toContain('continuing an earlier run');
  });

  it('refuses a review comment on a fork PR unless allow_forks', async () => {
    const result = await scenario.run({ eventName: 'pull_request_review_comment', event: fixture('pull_request_review_comment.fork') });
    expect(result.outputs.status).toBe('refused');
    expect(result.stdout).toContain('refused: the pull request comes from a fork, and allow_forks is off');
    expect(scenario.model.requests).toHaveLength(0);
  });

  it('a workflow_dispatch from the feature branch works from feature and opens the PR against it', async () => {
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/feature']);
    await scenario.repo.pushFromElsewhere('feature', 'src/feature.js', 'export const feature = true;\n');
    // actions/checkout leaves the workspace on the dispatched branch.
    await scenario.repo.resetToOrigin('feature');
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const event = { ...fixture('workflow_dispatch'), ref: 'refs/heads/feature' };
    const result = await scenario.run({
      eventName: 'workflow_dispatch',
      event,
      inputs: { prompt: 'Fix slugify' },
      env: { GITHUB_REF: 'refs/heads/feature', GITHUB_REF_NAME: 'feature', GITHUB_REF_TYPE: 'branch' },
    });

    expect(result.outputs.status).toBe('completed');
    const [pull] = scenario.github.pulls;
    expect(pull.base.ref).toBe('feature');
    expect(pull.head.ref).toBe(result.outputs.branch);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/feature.js')).toBe('export const feature = true;\n');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(result.stdout).toContain(`branch ${result.outputs.branch} from feature`);
  });

  it('a workflow_dispatch on a tag works from the default branch and says why', async () => {
    await scenario.repo.git(['tag', 'v1.0.0']);
    await scenario.repo.git(['push', '--quiet', 'origin', 'refs/tags/v1.0.0']);
    await scenario.repo.git(['checkout', '--quiet', '--detach', 'v1.0.0']);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const event = { ...fixture('workflow_dispatch'), ref: 'refs/tags/v1.0.0' };
    const result = await scenario.run({ eventName: 'workflow_dispatch', event, inputs: { prompt: 'Fix slugify' }, env: { GITHUB_REF: 'refs/tags/v1.0.0' } });

    expect(result.outputs.status).toBe('completed');
    expect(scenario.github.pulls[0].base.ref).toBe('main');
    const notice =
      'workflow_dispatch ran on refs/tags/v1.0.0, which is not a branch: the work starts from main, the default branch (set base_branch to choose another)';
    expect(result.summary).toContain(notice);
    // Notes are collected before the PR is opened, so the reviewer reads it where the work is.
    expect(scenario.github.pulls[0].body).toContain(notice);
  });
});
