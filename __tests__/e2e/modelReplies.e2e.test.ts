import { EXAMPLE_TASK, EXAMPLE_VERIFY } from '../../src/demo/exampleRepo.js';
import { DEMO_RECORDING } from '../../src/demo/recording.js';
import { cutInToolUse, refusal, reply, text, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario, labeledIssueEvent } from '../support/scenario.js';

/**
 * The replies the real model sometimes gives (empty turns, empty text blocks,
 * refusals, a tool call cut at max_tokens), end to end through the bundle and
 * the strict fake: what the user sees in outputs, summary, PR and comments.
 */

const EDITOR = 'str_replace_based_edit_tool';
const ISSUE = { number: 3, title: 'Fix slugify', body: 'Please fix slugify.' };
const issueEvent = labeledIssueEvent(ISSUE);
const FIXED = '.replace(/^-+|-+$/g';

describe('what the real model sometimes replies (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice' });
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('replays the demo recording under the strict fake', async () => {
    scenario.model.script(...DEMO_RECORDING);
    const result = await scenario.run({ inputs: { prompt: EXAMPLE_TASK, verify: EXAMPLE_VERIFY, model: 'claude-sonnet-5-5' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: String(DEMO_RECORDING.length) });
    expect(scenario.model.requests.every((request) => request.path === '/v1/messages')).toBe(true);
  });

  it('asks the model to continue after an empty reply instead of ending the run on it', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([]), reply([text(REPORT)]));
    const result = await scenario.run({ eventName: 'issues', event: issueEvent });

    expect(result.outputs).toMatchObject({ status: 'completed', steps: '3' });
    const third = scenario.model.requests[2]!.body.messages;
    expect(third.filter((message: { role: string }) => message.role === 'assistant')).toHaveLength(1);
    expect(third.at(-1).content[0].text).toMatch(/^Your last reply was empty\. Please continue/);
    const [pr] = scenario.github.pulls;
    expect(pr!.body).toContain('Fixed slugify.');
  });

  it('ends a model that keeps replying empty as stuck, not completed, with its work on a draft PR', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]));
    scenario.model.setDefault(reply([]));
    const result = await scenario.run({ eventName: 'issues', event: issueEvent });

    expect(result.outputs).toMatchObject({ status: 'stuck', steps: '4' });
    expect(result.exitCode).toBe(1);
    expect(result.summary).toContain('**🔁 stuck** — Draft: the model replied with nothing 3 times in a row, even when asked to continue.');
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain(FIXED);
  });

  it('strips the empty text blocks of a reply before sending it back', async () => {
    scenario.model.script(reply([text(''), toolUse(EDITOR, SLUGIFY_FIX), text('\n')]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2' });
    expect(scenario.model.requests[1]!.body.messages[1].content.map((block: { type: string }) => block.type)).toEqual(['tool_use']);
  });

  it('ends a refusal as declined: a failed step, a draft PR and a comment saying the model declined', async () => {
    scenario.model.script(
      reply([toolUse(EDITOR, SLUGIFY_FIX)]),
      refusal([text('I')], { category: 'cyber', explanation: 'This looks like exploit development.' }),
    );
    const result = await scenario.run({ eventName: 'issues', event: issueEvent, inputs: { verify: 'node --test' } });

    const said = 'the model declined to continue (stop_reason "refusal", category cyber: This looks like exploit development.)';
    expect(result.outputs).toMatchObject({ status: 'declined', steps: '2' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::Nightshift declined: ${said}`);
    expect(result.summary).toContain(`**🚫 declined** — Draft: ${said}.`);
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain(`**🚫 declined** — Draft: ${said}.`);
    expect(pr!.body).toContain('Rephrasing the task, or running it with another model, may help.');
    expect(scenario.github.comments(3).at(-1)!.body).toContain('🚫 declined');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain(FIXED);
  });

  it('never runs an edit cut at max_tokens: its half-built input would have deleted code', async () => {
    // Cut inside new_str: the SDK drops the unfinished string, and a str_replace without new_str deletes old_str.
    const cutAt = JSON.stringify(SLUGIFY_FIX).indexOf('"new_str"') + 16;
    scenario.model.script(cutInToolUse([toolUse(EDITOR, SLUGIFY_FIX)], cutAt), reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '3' });
    const answer = scenario.model.requests[1]!.body.messages.at(-1).content;
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ type: 'tool_result', is_error: true });
    expect(JSON.stringify(answer[0].content)).toContain('was cut off at the output length limit');
    expect(result.summary).toContain('✘ str_replace_based_edit_tool (cut at the output limit; not run)');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain(FIXED);
  });
});
