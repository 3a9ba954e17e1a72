import { writeFile } from 'node:fs/promises';
import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario, issueCommentEvent } from '../support/scenario.js';

const fixture = eventFixture;
const EDITOR = 'str_replace_based_edit_tool';
const SESSION_REF = 'refs/nightshift/sessions/7';

const replyEvent = (body: string, login = 'alice', id = 900) => issueCommentEvent(body, login, id);

describe('sessions that pause and resume (end to end, across runs of the bundle)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  const label = (inputs: Record<string, string> = {}) =>
    scenario.run({ eventName: 'issues', event: fixture('issues.labeled.ours'), inputs: { verify: 'node --test', ...inputs } });
  const answer = (body: string, inputs: Record<string, string> = {}, login = 'alice') =>
    scenario.run({ eventName: 'issue_comment', event: replyEvent(body, login), inputs: { verify: 'node --test', ...inputs } });
  const sessionRefExists = async () => (await scenario.repo.git(['--git-dir', scenario.repo.origin, 'for-each-ref', SESSION_REF])).trim() !== '';

  it('asks, saves, and continues the same session on the reply, ending with a verified PR', async () => {
    scenario.model.script(
      reply([text('Before I fix it: which separator?'), toolUse('ask_user', { question: 'Should separators become "-" or "_"?' }, 'toolu_ask')]),
    );
    const first = await label();

    expect(first.outputs).toMatchObject({ status: 'needs-input' });
    expect(first.exitCode).toBe(0);
    expect(first.summary).toContain('**The agent asks:** Should separators become "-" or "_"?');
    expect(first.summary).toContain('Reply with `@nightshift <your answer>` to continue this session.');
    expect(scenario.github.comments(7).at(-1)!.body).toContain('Should separators become "-" or "_"?');
    expect(await sessionRefExists()).toBe(true);

    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const second = await answer('@nightshift use "-", please');

    expect(second.outputs).toMatchObject({ status: 'completed', verified: 'passed' });
    const resumed = scenario.model.requests[1]!.body.messages;
    // The same conversation goes on: the first run's question, then the answer as its tool result.
    expect(resumed[1].content.some((block: { type: string; id?: string }) => block.type === 'tool_use' && block.id === 'toolu_ask')).toBe(true);
    expect(resumed[2].content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_ask' });
    expect(toolOutput(resumed[2].content[0])).toBe('@alice replied:\nuse "-", please');
    expect(scenario.github.comments(7)).toHaveLength(1);
    expect(scenario.github.pulls).toHaveLength(1);
    expect(await sessionRefExists()).toBe(false);
  });

  it('runs an approved command, then goes on', async () => {
    const command = 'echo released > RELEASED.md # make-release';
    scenario.model.script(
      reply([toolUse('bash', { command })]),
      reply([toolUse('request_approval', { command, reason: 'the task asks for a release note' }, 'toolu_approve')]),
    );
    const first = await label({ approval_required: '\\bmake-release\\b', prompt: '' });
    expect(first.outputs.status).toBe('needs-approval');
    expect(toolOutput(scenario.model.requests[1]!.body.messages.at(-1).content[0])).toMatch(
      /^This command needs approval \(approval_required \/\\bmake-release\\b\/\); it was not run\./,
    );
    expect(first.summary).toContain('Reply `@nightshift approve` to run it and continue, or `@nightshift deny`.');

    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([text(REPORT)]));
    const second = await answer('@nightshift approve', { approval_required: '\\bmake-release\\b', verify: '' });

    expect(second.outputs.status).toBe('completed');
    expect(scenario.model.requests.at(-1)!.body.messages.at(-1).content[0]).toMatchObject({ tool_use_id: 'toolu_approve' });
    expect(toolOutput(scenario.model.requests.at(-1)!.body.messages.at(-1).content[0])).toBe('Approved by @alice. The command ran:\n(no output)');
    expect(await scenario.repo.readBranchFile(second.outputs.branch!, 'RELEASED.md')).toBe('released\n');
  });

  it('runs an approved command that blocked_commands also matches, tells the agent so truthfully, and shows who approved what in the PR and summary', async () => {
    const command = 'echo released > RELEASED.md && echo "release notes written" # then: git push origin HEAD';
    scenario.model.script(reply([toolUse('request_approval', { command, reason: 'the task asks for a release note' }, 'toolu_blocked')]));
    const first = await label({ verify: '' });
    expect(first.outputs.status).toBe('needs-approval');
    expect(first.summary).toContain('of `blocked_commands`: approving it runs it anyway.');

    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([text(REPORT)]));
    const second = await answer('@nightshift approve', { verify: '' });

    expect(second.outputs.status).toBe('completed');
    const told = scenario.model.requests.at(-1)!.body.messages.at(-1).content[0];
    expect(told).toMatchObject({ tool_use_id: 'toolu_blocked', is_error: false });
    expect(toolOutput(told)).toMatch(
      /^Approved by @alice\. The command ran \(it matches blocked_commands \/.+\/ and ran anyway, because a person approved it\):\nrelease notes written$/,
    );
    expect(await scenario.repo.readBranchFile(second.outputs.branch!, 'RELEASED.md')).toBe('released\n');
    const [pr] = scenario.github.pulls;
    for (const shown of [pr!.body as string, second.summary]) {
      expect(shown).toContain(`### Approval\n\n@\u200balice approved this command; it ran when the session resumed:\n\n\`\`\`\n${command}\n\`\`\``);
      expect(shown).toContain('It exited with code 0.');
      expect(shown).toContain('<details><summary>Output (last lines)</summary>\n\n```\nrelease notes written\n```');
    }
  });

  it('answers approve with nothing pending in one line, and runs nothing', async () => {
    const result = await answer('@nightshift approve');

    expect(result.outputs.status).toBe('skipped');
    expect(result.exitCode).toBe(0);
    expect(scenario.model.requests).toHaveLength(0);
    expect(result.stdout).toContain(
      'Nightshift skipped: nothing on #7 waits for approval (no session is paused there), so "approve" was not taken as a task and nothing ran',
    );
    const comments = scenario.github.comments(7);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toBe(
      '<!-- nightshift:reply -->\nNightshift: nothing on #7 waits for approval (no session is paused there), so "approve" was not taken as a task and nothing ran.',
    );
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it('tells the agent a command was denied, and does not run it', async () => {
    const command = 'echo released > RELEASED.md # make-release';
    scenario.model.script(reply([toolUse('request_approval', { command, reason: 'release' }, 'toolu_deny')]));
    await label({ approval_required: '\\bmake-release\\b' });
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([text('## Summary\nNot released, as asked.')]));
    const second = await answer('@nightshift deny — not yet', { approval_required: '\\bmake-release\\b', verify: '' });

    expect(second.outputs.status).toBe('completed');
    expect(scenario.model.requests.at(-1)!.body.messages.at(-1).content[0]).toMatchObject({ tool_use_id: 'toolu_deny' });
    expect(toolOutput(scenario.model.requests.at(-1)!.body.messages.at(-1).content[0])).toBe(
      'Denied by @alice; the command was not run. Find another way or finish and say why it is needed.',
    );
    expect(await scenario.repo.listBranches()).toEqual(['main']);
    expect(second.summary).toContain(`### Approval\n\n@\u200balice denied this command; it was not run:\n\n\`\`\`\n${command}\n\`\`\``);
  });

  it('refuses a reply from someone without permission and keeps the session for a maintainer', async () => {
    scenario.model.script(reply([toolUse('ask_user', { question: 'Which separator?' })]));
    await label();
    scenario.github.setPermission('eve', 'read');
    const refused = await answer('@nightshift approve', {}, 'eve');

    expect(refused.outputs.status).toBe('refused');
    expect(scenario.model.requests).toHaveLength(1);
    expect(await sessionRefExists()).toBe(true);
  });

  it('starts fresh, with a visible notice, when the saved session is corrupt', async () => {
    // A state.json that is not JSON, pushed to the session ref.
    await scenario.repo.git(['checkout', '--quiet', '--orphan', 'corrupt']);
    await scenario.repo.git(['rm', '-rfq', '.']);
    await writeFile(`${scenario.repo.dir}/state.json`, '{not json');
    await scenario.repo.git(['add', 'state.json']);
    await scenario.repo.git(['-c', 'user.name=x', '-c', 'user.email=x@y', 'commit', '--quiet', '-m', 'corrupt']);
    await scenario.repo.git(['push', '--quiet', 'origin', `HEAD:${SESSION_REF}`]);
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await answer('@nightshift fix this');

    expect(result.outputs.status).toBe('completed');
    expect(result.summary).toContain('a saved session on #7 could not be used (the saved session is not valid JSON); this run starts fresh');
  });

  it('bounds the whole session with max_total_cost_usd across runs', async () => {
    scenario.model.script(reply([toolUse('ask_user', { question: 'Which separator?' })], { usage: { input_tokens: 20_000, output_tokens: 500 } }));
    const first = await label({ max_total_cost_usd: '0.05' });
    expect(Number(first.outputs.cost_usd)).toBeGreaterThan(0.05);

    const second = await answer('@nightshift use "-"', { max_total_cost_usd: '0.05' });
    expect(second.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    expect(second.summary).toContain('max_total_cost_usd reached across runs');
    expect(scenario.model.requests).toHaveLength(1);
    expect(await sessionRefExists()).toBe(true);
  });
});
