import { readFile } from 'node:fs/promises';
import { errorBody, perModel, reply, text, toolUse, type RecordedRequest, type ScriptItem } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario, labeledIssueEvent } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const PRIMARY = 'claude-opus-5-1';
const FALLBACK = 'claude-haiku-5-0';
const ISSUE = { number: 3, title: 'Fix slugify', body: 'Please fix slugify.' };
const issueEvent = labeledIssueEvent(ISSUE);

/** The published list prices (dollars per million tokens) of the two models, as the README's price table has them. */
const PRICES: Record<string, { input: number; output: number }> = {
  [PRIMARY]: { input: 5, output: 25 },
  [FALLBACK]: { input: 1, output: 5 },
};

/** What the API bills for one reply: cache writes at 1.25× input, cache reads at 0.1× input. */
function dollars(request: RecordedRequest): number {
  const price = PRICES[String(request.body.model)]!;
  const usage = request.usage!;
  const input = usage.input_tokens * price.input + (usage.cache_creation_input_tokens ?? 0) * price.input * 1.25;
  return (input + (usage.cache_read_input_tokens ?? 0) * price.input * 0.1 + usage.output_tokens * price.output) / 1_000_000;
}

/** The SDK retries a 529 (4 retries by default): retry-after-ms keeps the test fast without changing how many. */
const OVERLOADED: ScriptItem = { status: 529, headers: { 'retry-after-ms': '1' } };
const NOT_FOUND: ScriptItem = { status: 404, body: errorBody(404, `model: ${PRIMARY}`) };

const withoutBreakpoints = (value: unknown) => JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner));

describe('fallback_model (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice' });
  });
  afterEach(async () => {
    await scenario.close();
  });

  const run = (inputs: Record<string, string> = {}) =>
    scenario.run({ eventName: 'issues', event: issueEvent, inputs: { model: PRIMARY, fallback_model: FALLBACK, verify: 'node --test', ...inputs } });
  const messages = () => scenario.model.requests.filter((request) => request.path === '/v1/messages');

  it('goes on with the fallback from the same conversation when the model stays overloaded, each reply priced at its own model', async () => {
    scenario.model.setDefault(
      perModel({
        [PRIMARY]: [reply([toolUse(EDITOR, SLUGIFY_FIX)]), OVERLOADED],
        [FALLBACK]: [reply([text(REPORT)])],
      }),
    );
    const result = await run();

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2', model: FALLBACK });
    const sent = messages();
    // Step 1 answered by the primary; step 2: the first try and the SDK's 4 retries, then the same request to the fallback.
    expect(sent.map((request) => request.body.model)).toEqual([PRIMARY, PRIMARY, PRIMARY, PRIMARY, PRIMARY, PRIMARY, FALLBACK]);
    const [failed, resent] = [sent[5]!.body, sent[6]!.body];
    expect(withoutBreakpoints(resent.messages)).toBe(withoutBreakpoints(failed.messages));
    expect(JSON.stringify(resent.tools)).toBe(JSON.stringify(failed.tools));
    expect(JSON.stringify(resent.system)).toBe(JSON.stringify(failed.system));

    // The dollars are each answered request's tokens at the price of the model it named.
    const answered = sent.filter((request) => request.usage !== undefined);
    expect(answered.map((request) => request.body.model)).toEqual([PRIMARY, FALLBACK]);
    const [primaryUsd, fallbackUsd] = answered.map(dollars) as [number, number];
    expect(result.outputs.cost_usd).toBe((primaryUsd + fallbackUsd).toFixed(4));
    const total = (primaryUsd + fallbackUsd).toFixed(4);
    expect(result.summary).toContain(`| dollars | $${total} (\`${PRIMARY}\` $${primaryUsd.toFixed(4)} + \`${FALLBACK}\` $${fallbackUsd.toFixed(4)}) | $5.00 |`);
    expect(result.summary).toMatch(new RegExp(`Replies by model, .*: \`${PRIMARY}\` 1 \\([\\d,]+ tokens, \\$${primaryUsd.toFixed(4)}\\), \`${FALLBACK}\` 1 `));

    const switched = `Switched from \`${PRIMARY}\` to \`${FALLBACK}\` (\`fallback_model\`) at step 2`;
    expect(result.summary).toContain(switched);
    expect(result.summary).toContain('overloaded_error');
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(false);
    expect(pr!.body).toContain(switched);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    const transcript = (await readFile(result.outputs.transcript_path!, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(transcript.find((event) => event.type === 'model-switch')).toMatchObject({ step: 2, from: PRIMARY, to: FALLBACK });
    expect(result.stdout).toContain(`the run goes on with fallback_model ${FALLBACK}`);
  });

  it('switches at once when the model is not served here (404), with no retry', async () => {
    scenario.model.setDefault(perModel({ [PRIMARY]: [NOT_FOUND], [FALLBACK]: [reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)])] }));
    const result = await run();

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2', model: FALLBACK });
    expect(messages().map((request) => request.body.model)).toEqual([PRIMARY, FALLBACK, FALLBACK]);
    // Only the fallback answered: every dollar is at its price.
    const expected = messages()
      .filter((request) => request.usage !== undefined)
      .reduce((sum, request) => sum + dollars(request), 0);
    expect(result.outputs.cost_usd).toBe(expected.toFixed(4));
    expect(result.summary).toContain(`Switched from \`${PRIMARY}\` to \`${FALLBACK}\` (\`fallback_model\`) at step 1`);
    expect(result.summary).toContain('not_found_error');
    // One model answered: no per-model line.
    expect(result.summary).not.toContain('Replies by model');
  });

  it('without fallback_model, an overloaded model still fails the run, saying so', async () => {
    scenario.model.setDefault(perModel({ [PRIMARY]: [OVERLOADED] }));
    const result = await run({ fallback_model: '' });

    expect(result.outputs).toMatchObject({ status: 'failed', model: PRIMARY, steps: '1' });
    expect(result.exitCode).toBe(1);
    expect(messages()).toHaveLength(5);
    expect(result.summary).toContain('model request 1 failed: 529');
    expect(result.summary).not.toContain('Switched from');
  });

  it('stops with both failures in the message when the fallback fails too, keeping the work', async () => {
    scenario.model.setDefault(perModel({ [PRIMARY]: [reply([toolUse(EDITOR, SLUGIFY_FIX)]), OVERLOADED], [FALLBACK]: [OVERLOADED] }));
    const result = await run();

    expect(result.outputs).toMatchObject({ status: 'failed', model: FALLBACK });
    expect(messages()).toHaveLength(1 + 5 + 5);
    expect(result.summary).toMatch(
      new RegExp(`model request 2 failed: ${PRIMARY} failed \\(529 .*overloaded_error.*\\), and so did the fallback_model ${FALLBACK}: 529 `),
    );
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it("checks the re-sent request against the dollars left at the fallback's price, and does not send what they do not buy", async () => {
    scenario.model.setDefault(perModel({ [FALLBACK]: [NOT_FOUND], [PRIMARY]: [reply([text(REPORT)])] }));
    // The cheap model first: its request fits $0.01; the same prompt to the dear one ($6.25/M to write it, $25/M out) leaves no useful answer.
    const result = await run({ model: FALLBACK, fallback_model: PRIMARY, max_cost_usd: '0.01' });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost', cost_usd: '0.0000' });
    expect(messages().map((request) => request.body.model)).toEqual([FALLBACK]);
    expect(result.summary).toMatch(new RegExp(`the next request \\(to ${PRIMARY}\\) would cost about \\$0\\.\\d{4} before its answer`));
    expect(result.summary).toContain(`Switched from \`${FALLBACK}\` to \`${PRIMARY}\``);
    expect(result.summary).toContain(`\`${PRIMARY}\` gave no reply: the run ended at that step`);
  });

  it('refuses, before any model request, a fallback_model without a built-in price', async () => {
    const result = await run({ fallback_model: 'claude-mystery-1' });

    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('fallback_model must be a model with a built-in price, got claude-mystery-1');
    expect(messages()).toHaveLength(0);
  });
});
