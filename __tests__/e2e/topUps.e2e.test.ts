import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario, issueCommentEvent } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const SESSION_REF = 'refs/nightshift/sessions/7';
const README_EDIT = { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, with slugs.' };
/** A reply billed far past max_cost_usd 0.25 (100k input tokens at $3/M): the next request is not affordable. */
const EXPENSIVE = { usage: { input_tokens: 100_000, output_tokens: 500 } };
/** Every text of a tool result, in order. */
const texts = (block: { content?: unknown }): string[] =>
  typeof block.content === 'string'
    ? [block.content]
    : (block.content as Array<{ type: string; text?: string }>).filter((b) => b.type === 'text').map((b) => b.text ?? '');
const withoutBreakpoints = (value: unknown) => JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner));

const commentEvent = (body: string, login = 'alice', id = 902) => issueCommentEvent(body, login, id);

describe('budget top-ups: @nightshift continue (end to end, across runs of the bundle)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  const inputs = (more: Record<string, string> = {}) => ({ verify: '', max_cost_usd: '0.25', max_total_cost_usd: '5', ...more });
  const label = () => scenario.run({ eventName: 'issues', event: eventFixture('issues.labeled.ours'), inputs: inputs() });
  const comment = (body: string, more: Record<string, string> = {}, login = 'alice') =>
    scenario.run({ eventName: 'issue_comment', event: commentEvent(body, login), inputs: inputs(more) });
  const sessionRefExists = async () => (await scenario.repo.git(['--git-dir', scenario.repo.origin, 'for-each-ref', SESSION_REF])).trim() !== '';
  const commitsOn = async (branch: string) =>
    Number((await scenario.repo.git(['--git-dir', scenario.repo.origin, 'rev-list', '--count', `main..${branch}`])).trim());

  /** Run 1: one expensive step that fixes slugify, then the dollar budget ends the session. */
  async function exhaust() {
    scenario.model.script(reply([text('Fixing slugify first.'), toolUse(EDITOR, SLUGIFY_FIX)], EXPENSIVE));
    const first = await label();
    expect(first.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    await scenario.repo.resetToOrigin('main');
    return first;
  }

  it('saves a session the dollar budget ended, and continue $1 goes on with the same conversation, branch and PR on a $1 budget', async () => {
    const first = await exhaust();
    expect(await sessionRefExists()).toBe(true);
    expect(first.outputs.branch).not.toBe('');
    expect(await commitsOn(first.outputs.branch!)).toBe(1);
    expect(scenario.github.pulls).toHaveLength(1);
    expect(first.summary).toContain('Reply `@nightshift continue` to continue it with a fresh budget, or `@nightshift continue $2` to give the next run $2.');
    expect(scenario.github.comments(7).at(-1)!.body).toContain('**The session stopped at its budget.**');
    const runOne = scenario.model.requests.map((request) => request.body);
    expect(runOne).toHaveLength(1);

    scenario.model.script(reply([toolUse(EDITOR, README_EDIT)]), reply([text(REPORT)]));
    const second = await comment('Thanks, looks right so far. @nightshift continue $1');

    expect(second.outputs).toMatchObject({ status: 'completed', branch: first.outputs.branch, pr_number: first.outputs.pr_number });
    const runTwo = scenario.model.requests.slice(1).map((request) => request.body);
    // The same conversation: run 1's request, its reply, then the results of that reply's call with the top-up note.
    expect(withoutBreakpoints(runTwo[0].messages.slice(0, 1))).toBe(withoutBreakpoints(runOne[0].messages));
    expect(runTwo[0].messages[1]).toMatchObject({ role: 'assistant' });
    expect(runTwo[0].messages[1].content.some((block: { type: string; name?: string }) => block.type === 'tool_use' && block.name === EDITOR)).toBe(true);
    const resumed = runTwo[0].messages[2].content[0];
    expect(resumed).toMatchObject({ type: 'tool_result', tool_use_id: runTwo[0].messages[1].content.find((b: { type: string }) => b.type === 'tool_use').id });
    const [output, note, budget, ...rest] = texts(resumed);
    expect(output).toBe(toolOutput(resumed));
    expect(note).toContain('@alice continued it with a top-up of $1.00: go on with the task where you left off.');
    // This run's budget is the top-up: $1.00 of dollars, the inputs' other limits; run 1's stale budget line is gone.
    expect(budget).toMatch(/^Budget left: 60 of 60 steps, [^\n]*, \$1\.00\.$/);
    expect(rest).toEqual([]);
    // The same branch, a second commit on it, the same PR.
    expect(await commitsOn(first.outputs.branch!)).toBe(2);
    expect(await scenario.repo.readBranchFile(first.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(await scenario.repo.readBranchFile(first.outputs.branch!, 'README.md')).toContain('with slugs');
    expect(scenario.github.pulls).toHaveLength(1);
    const total = Number(first.outputs.cost_usd) + Number(second.outputs.cost_usd);
    expect(total).toBeLessThanOrEqual(5);
    const line =
      /Continuation: run 2 of this session, asked for by @\u200balice with a top-up of \$1\.00\. Spent so far on the session: \$(\d\.\d{4}) of \$5\.00 \(max_total_cost_usd\)\./;
    for (const shown of [second.summary, scenario.github.pulls[0]!.body as string, scenario.github.comments(7).at(-1)!.body as string]) {
      // The outputs round each run's dollars to 4 places; the line sums the unrounded ones.
      expect(Math.abs(Number(line.exec(shown)?.[1]) - total)).toBeLessThanOrEqual(0.0002);
    }
    expect(await sessionRefExists()).toBe(false);
  });

  it('caps a top-up at what max_total_cost_usd leaves', async () => {
    const first = await exhaust();
    const spent = Number(first.outputs.cost_usd);
    const left = 0.6 - spent;
    scenario.model.script(reply([text(REPORT)]));
    const second = await comment('@nightshift continue $5', { max_total_cost_usd: '0.6' });

    expect(second.outputs.status).toBe('completed');
    const budget = texts(scenario.model.requests[1]!.body.messages[2].content[0]).at(-1);
    expect(budget).toMatch(new RegExp(`, \\$${left.toFixed(2).replace('.', '\\.')}\\.$`));
    expect(second.summary).toContain(`with a top-up of $5.00 (capped at $${left.toFixed(4)} by max_total_cost_usd)`);
    expect(spent + Number(second.outputs.cost_usd)).toBeLessThanOrEqual(0.6);
  });

  it('says so, and makes no model request, when the session has spent max_total_cost_usd', async () => {
    const first = await exhaust();
    const result = await comment('@nightshift continue $2', { max_total_cost_usd: '0.3' });

    expect(Number(first.outputs.cost_usd)).toBeGreaterThan(0.3);
    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    expect(scenario.model.requests).toHaveLength(1);
    expect(scenario.github.comments(7).at(-1)!.body).toMatch(
      /^<!-- nightshift:reply -->\nNightshift: max_total_cost_usd reached across runs: \$0\.\d{4} of \$0\.3 spent on this session, so nothing ran\.$/,
    );
    expect(await sessionRefExists()).toBe(true);
  });

  it('refuses continue from someone who may not trigger, and keeps the session', async () => {
    await exhaust();
    scenario.github.setPermission('eve', 'read');
    const result = await comment('@nightshift continue $2', {}, 'eve');

    expect(result.outputs.status).toBe('refused');
    expect(scenario.model.requests).toHaveLength(1);
    expect(await sessionRefExists()).toBe(true);
  });

  it('answers continue with nothing to continue, with no model request', async () => {
    const result = await comment('@nightshift continue');

    expect(result.outputs.status).toBe('skipped');
    expect(scenario.model.requests).toHaveLength(0);
    expect(scenario.github.comments(7).map((c) => c.body)).toEqual([
      '<!-- nightshift:reply -->\nNightshift: nothing on #7 to continue (no session there stopped at its budget), so nothing ran.',
    ]);
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it('fails a top-up whose amount does not parse, naming the value and the form, with no model request', async () => {
    await exhaust();
    const result = await comment('@nightshift continue $abc');

    expect(result.outputs.status).toBe('failed');
    expect(result.exitCode).toBe(1);
    expect(scenario.model.requests).toHaveLength(1);
    const said = 'continue $abc: "$abc" is not a dollar amount; write the top-up as a dollar amount after continue, like $2 or $0.50';
    expect(result.summary).toContain(said);
    expect(scenario.github.comments(7).at(-1)!.body).toBe(`<!-- nightshift:reply -->\nNightshift: ${said}.`);
    expect(await sessionRefExists()).toBe(true);
  });
});
