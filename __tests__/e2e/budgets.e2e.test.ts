import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';

describe('the bundle under budgets (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('runs a task to completion and reports it in outputs and the summary', async () => {
    scenario.model.script(reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2', stopped_by: '' });
    expect(Number(result.outputs.input_tokens)).toBeGreaterThan(0);
    expect(Number(result.outputs.cost_usd)).toBeGreaterThan(0);
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(scenario.repo.dir, 'src/slugify.js'), 'utf8')).toContain('.replace(/^-+|-+$/g');
    expect(result.summary).toContain('Ready for review: every check passed.');
    expect(result.stdout).toMatch(/step 1\/60 · [\d,]+ tokens · \$[\d.]+ · \d+s — → str_replace_based_edit_tool: str_replace src\/slugify\.js/);
  });

  it('keeps the cached prefix byte-identical and tells the model its budget in the newest message, inside the last tool result', async () => {
    scenario.model.script(reply([toolUse('list_files', {})]), reply([toolUse('list_files', {})]), reply([text(REPORT)]));
    await scenario.run({ inputs: { prompt: 'Look around', max_steps: '10' } });

    const bodies = scenario.model.requests.map((request) => request.body);
    expect(bodies).toHaveLength(3);
    for (const body of bodies) {
      expect(JSON.stringify(body.system)).toBe(JSON.stringify(bodies[0].system));
      expect(JSON.stringify(body.tools)).toBe(JSON.stringify(bodies[0].tools));
      expect(JSON.stringify(body.system)).not.toMatch(/Budget left/);
      expect(JSON.stringify(body.messages.at(-1).content.at(-1))).toMatch(/Budget left: \d+ of 10 steps/);
    }
    expect(bodies[0].messages[0].content.at(-1).text).toMatch(/^Budget left: 10 of 10 steps, /);
    // No text right after tool results (it invites empty replies): the line is the last result's last text.
    expect(bodies[2].messages.at(-1).content.map((block: { type: string }) => block.type)).toEqual(['tool_result']);
    expect(bodies[2].messages.at(-1).content.at(-1).content.at(-1).text).toMatch(/^Budget left: 8 of 10 steps, /);
    // Earlier turns are sent exactly as they were: what the previous request cached is a prefix of this one.
    const withoutBreakpoints = (value: unknown) => JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner));
    expect(withoutBreakpoints(bodies[2].messages.slice(0, 3))).toBe(withoutBreakpoints(bodies[1].messages));
    expect(JSON.stringify(bodies[2].messages[2])).toBe(JSON.stringify(bodies[1].messages[2]));
  });

  it('retries a stream cut mid-message without running a tool twice', async () => {
    scenario.model.script(
      { cutAfterEvents: 4, then: reply([toolUse('bash', { command: 'echo ran >> ran.log' })]) },
      reply([toolUse('bash', { command: 'echo ran >> ran.log' })]),
      reply([text(REPORT)]),
    );
    const result = await scenario.run({ inputs: { prompt: 'Log once' } });

    expect(result.outputs).toMatchObject({ status: 'completed', steps: '2' });
    expect(await readFile(join(scenario.repo.dir, 'ran.log'), 'utf8')).toBe('ran\n');
  });

  it('stops a model that never stops at exactly max_steps requests, keeping its work', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]));
    scenario.model.setDefault(() => reply([toolUse('list_files', {})]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', max_steps: '4' } });

    expect(scenario.model.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(4);
    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'steps', steps: '4' });
    expect(result.summary).toContain('max_steps reached: 4 of 4 model requests made');
    expect(result.summary).toMatch(/\| steps — \*\*ran out\*\* \| 4 \| 4 \|/);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it('cuts a slow model at max_minutes and still publishes', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), { hang: true });
    const started = Date.now();
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', max_minutes: '0.1' } });
    const seconds = (Date.now() - started) / 1000;

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'minutes' });
    // max_minutes is 6 s; the agent stops at 6 s minus the 1 s reserve, then publishes.
    expect(seconds).toBeGreaterThan(4.5);
    expect(seconds).toBeLessThan(6 + 3);
    expect(Number(result.outputs.minutes)).toBeLessThanOrEqual(0.1 + 0.05);
    expect(result.outputs.branch).not.toBe('');
  });

  it('does not cross max_tokens by more than one answer', async () => {
    const big = { input_tokens: 4_000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    scenario.model.setDefault((request) => reply([toolUse('list_files', {})], { usage: { ...big, output_tokens: Math.min(500, request.body.max_tokens) } }));
    const result = await scenario.run({ inputs: { prompt: 'Explore', max_tokens: '20000', max_output_tokens: '1000' } });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'tokens' });
    const billed = Number(result.outputs.input_tokens) + Number(result.outputs.output_tokens);
    expect(billed).toBeLessThanOrEqual(20_000);
    expect(billed).toBeGreaterThan(20_000 - 4_500 - 1_000);
    const maxTokens = scenario.model.requests.map((request) => request.body.max_tokens as number);
    expect(Math.max(...maxTokens)).toBeLessThanOrEqual(1_000);
  });

  it('does not cross max_cost_usd by more than one answer', async () => {
    // Each step: 10k fresh input tokens ($0.03) and 1k output ($0.015) on Sonnet prices.
    scenario.model.setDefault(() =>
      reply([toolUse('list_files', {})], { usage: { input_tokens: 10_000, output_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } }),
    );
    const result = await scenario.run({ inputs: { prompt: 'Explore', max_cost_usd: '0.2', max_output_tokens: '2000' } });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    expect(Number(result.outputs.cost_usd)).toBeLessThanOrEqual(0.2);
    expect(Number(result.outputs.cost_usd)).toBeGreaterThan(0.2 - 0.045 - 0.03);
    expect(result.summary).toContain('max_cost_usd reached');
  });

  it('ends a run that keeps repeating a failing call as stuck, after one warning, with its work saved', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]));
    scenario.model.setDefault(() => reply([toolUse('bash', { command: 'exit 1' })]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', max_steps: '30' } });

    expect(result.outputs).toMatchObject({ status: 'stuck', steps: '7' });
    expect(result.exitCode).toBe(1);
    const warned = scenario.model.requests.filter((request) => JSON.stringify(request.body.messages.at(-1)).includes('You seem to be stuck'));
    expect(warned).toHaveLength(1);
    expect(result.summary).toContain('the agent was stuck and did not recover after a warning: bash {"command":"exit 1"} failed 3 times with the same input');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it('compacts older turns near the context ceiling so every request stays under it', async () => {
    let call = 0;
    scenario.model.setDefault(() => reply([toolUse('bash', { command: `head -c 24000 /dev/zero | tr '\\0' x; echo ${(call += 1)}` })]));
    const result = await scenario.run({ inputs: { prompt: 'Read a lot', max_steps: '40', context_ceiling_tokens: '20000' } });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'steps' });
    const sizes = scenario.model.requests.map((request) => request.bytes);
    // 20,000 tokens at our pessimistic 3 characters a token is 60 kB; without compaction step 40 would send ~1 MB.
    expect(Math.max(...sizes)).toBeLessThan(80_000);
    const compacted = scenario.model.requests.filter((request) => JSON.stringify(request.body.messages[0]).includes('<earlier_work_summary>'));
    expect(compacted.length).toBeGreaterThan(0);
  });

  it('fails bad inputs before any model call, naming each one', async () => {
    const result = await scenario.run({ inputs: { prompt: 'x', max_steps: '-3', max_cost_usd: 'lots' } });

    expect(scenario.model.requests).toHaveLength(0);
    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('failed');
    const expected = [
      'Invalid inputs:',
      '  - max_steps must be a whole number ≥ 1, got -3',
      '  - max_cost_usd must be a number of dollars greater than 0, got lots',
    ].join('\n');
    expect(result.summary).toContain(expected);
    expect(result.stdout).toContain('::error::Nightshift failed: Invalid inputs:');
  });

  it('turns invalid and unknown tool calls into errors the model reads, not a crash', async () => {
    scenario.model.script(
      reply([toolUse('teleport', { to: 'mars' }), toolUse(EDITOR, { command: 'view' }), toolUse(EDITOR, { command: 'view', path: '../../etc/passwd' })]),
      reply([text(REPORT)]),
    );
    const result = await scenario.run({ inputs: { prompt: 'Look around' } });

    expect(result.outputs.status).toBe('completed');
    const second = scenario.model.requests[1]!.body;
    const toolResults = second.messages.at(-1).content.filter((block: { type: string }) => block.type === 'tool_result');
    expect(toolResults.map((block: { is_error: boolean }) => block.is_error)).toEqual([true, true, true]);
    expect(toolResults[0].content).toMatch(/^Unknown tool "teleport"\. Available tools: /);
    expect(toolOutput(toolResults[2])).toContain('path "../../etc/passwd" is outside the workspace');
  });
});
