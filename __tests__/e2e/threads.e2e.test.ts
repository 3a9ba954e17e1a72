import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario, issueCommentEvent } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const ANSWER =
  'It times out because `slugify` never returns for an empty string: the loop in `src/slugify.js` waits for a character that is not there.\n\nNothing needs to change in the test itself.';

const commentEvent = (body: string, login = 'alice', id = 901) => issueCommentEvent(body, login, id);

describe('answers in the thread (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  const ask = (body: string, inputs: Record<string, string> = {}) =>
    scenario.run({ eventName: 'issue_comment', event: commentEvent(body), inputs: { verify: '', ...inputs } });

  it('posts the reply of a session that changed nothing as the answer: no branch, no PR, answered=true', async () => {
    scenario.model.script(reply([toolUse('list_files', {})]), reply([text(ANSWER)]));
    const result = await ask('@nightshift why does this test time out?');

    expect(result.outputs).toMatchObject({ status: 'completed', answered: 'true', branch: '', pr_url: '' });
    expect(result.exitCode).toBe(0);
    const comments = scenario.github.comments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(`\n\n${ANSWER}\n\n_Nightshift answered in the thread: no files were changed, so there is no branch or pull request._`);
    expect(comments[0].body).not.toContain('No files were changed, so there is no branch');
    expect(await scenario.repo.listBranches()).toEqual(['main']);
    expect(scenario.github.pulls).toHaveLength(0);
    expect(result.summary).toContain('Answered in the thread: no files were changed, so there is no branch or pull request.');
    expect(result.summary).toContain(`### Answer\n\nNightshift answered in the thread`);
    expect(result.summary).toContain('> It times out because `slugify` never returns for an empty string');
  });

  it('skips the gate on an unchanged workspace: failing checks are not run and the question is still answered', async () => {
    scenario.model.script(reply([text(ANSWER)]));
    // The example repository's tests fail until slugify is fixed: the gate would send the agent to fix them.
    const result = await ask('@nightshift why does this test time out?', { verify: 'node --test' });

    expect(result.outputs).toMatchObject({ status: 'completed', answered: 'true', verified: 'unverified' });
    expect(scenario.model.requests).toHaveLength(1);
    expect(result.summary).toContain(
      'The gate was skipped: the workspace is unchanged, so the verify commands were not run (there was nothing to verify). The result is **unverified**: it claims nothing about the code.',
    );
    expect(result.summary).toContain('- `node --test` — not run');
    expect(scenario.github.comments(7)[0].body).toContain('The verify commands were not run: there was nothing to verify.');
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it('makes the answer inert and cuts it to fit a GitHub comment', async () => {
    const long = `cc @bob <img src=x> Fixes #3\n\n${'word '.repeat(20_000)}`;
    scenario.model.script(reply([text(long)]));
    const result = await ask('@nightshift explain the slug rules');

    expect(result.outputs.answered).toBe('true');
    const [comment] = scenario.github.comments(7);
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    // No mention notifies, no HTML renders, no closing reference closes an issue.
    expect(comment.body).toContain('cc @\u200bbob &lt;img src=x> Fixes\u200b #3');
    expect(comment.body).toContain('[… the answer was cut to fit a comment (100,029 characters); all of it is in the job summary and the transcript.]');
  });

  it("answers a question on a person's PR in the PR's thread, and leaves its branch and description alone", async () => {
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/alice/fix-slugify']);
    await scenario.repo.pushFromElsewhere('alice/fix-slugify', 'src/alice.js', 'export const a = 1;\n');
    const head = (await scenario.repo.git(['--git-dir', scenario.repo.origin, 'rev-parse', 'alice/fix-slugify'])).trim();
    scenario.model.script(reply([text(ANSWER)]));
    const event = eventFixture('pull_request_review_comment.created');
    event.pull_request.head.ref = 'alice/fix-slugify';
    event.pull_request.user = { login: 'alice', id: 11, type: 'User' };
    event.comment.body = '@nightshift why does this test time out?';
    const result = await scenario.run({ eventName: 'pull_request_review_comment', event, inputs: { verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', answered: 'true', branch: '', pr_number: '', verified: 'unverified' });
    expect((await scenario.repo.git(['--git-dir', scenario.repo.origin, 'rev-parse', 'alice/fix-slugify'])).trim()).toBe(head);
    expect(scenario.github.requests.filter((request) => /\/pulls(\/\d+)?$/.test(request.path) && request.method !== 'GET')).toHaveLength(0);
    expect(scenario.github.comments(9).at(-1)!.body).toContain(`\n\n${ANSWER}\n\n_Nightshift answered in the thread`);
  });

  it('sends the answer through the redaction door: a secret the model repeats never reaches the comment', async () => {
    scenario.model.script(reply([text('The token in use is ghs_testtoken0123456789abcdefghijklmnopqr, which is fine.')]));
    const result = await ask('@nightshift which token does the workflow use?');

    expect(result.outputs.answered).toBe('true');
    const [comment] = scenario.github.comments(7);
    expect(comment.body).not.toContain('ghs_testtoken0123456789abcdefghijklmnopqr');
    expect(comment.body).toContain('The token in use is ***, which is fine.');
    expect(result.summary).not.toContain('ghs_testtoken0123456789abcdefghijklmnopqr');
  });

  it('takes the normal PR path when the session changes a file: answered=false', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await ask('@nightshift fix slugify', { verify: 'node --test' });

    expect(result.outputs).toMatchObject({ status: 'completed', answered: 'false', verified: 'passed' });
    expect(result.outputs.pr_url).not.toBe('');
    expect(scenario.github.pulls).toHaveLength(1);
    expect(scenario.github.comments(7)[0].body).toContain(`Pull request: ${result.outputs.pr_url}`);
    expect(result.summary).not.toContain('### Answer');
  });
});
