import { readFile } from 'node:fs/promises';
import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { startFakeBedrock, type FakeBedrock, signedBy } from '../support/fakeBedrock.js';
import { allObjectText, leaksIn } from '../support/leaks.js';
import { eventFixture, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';

/** What aws-actions/configure-aws-credentials exports after assuming a role (fake values). */
const AWS = {
  AWS_ACCESS_KEY_ID: 'ASIAE2EFAKEACCESSKEY',
  AWS_SECRET_ACCESS_KEY: 'e2eSecretAccessKey/abcdefghijklmnop+0123456789',
  AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEFAKEe2eSessionToken0123456789abcdefghij',
  AWS_REGION: 'eu-west-1',
};
const SECRETS = [AWS.AWS_SECRET_ACCESS_KEY, AWS.AWS_SESSION_TOKEN];

/** The runner prints no `::add-mask::` line: it is how it learns what to mask. */
const log = (text: string): string =>
  text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

describe('provider bedrock (end to end, through the built bundle)', () => {
  let scenario: Scenario;
  let bedrock: FakeBedrock;
  beforeEach(async () => {
    scenario = await startScenario();
    bedrock = await startFakeBedrock({ anthropic: scenario.model, ...signedBy(AWS) });
  });
  afterEach(async () => {
    await bedrock.close();
    await scenario.close();
  });

  const runOnBedrock = (inputs: Record<string, string>, env: Record<string, string> = AWS) =>
    scenario.run({ inputs: { provider: 'bedrock', anthropic_api_key: '', ...inputs }, env: { ...env, ANTHROPIC_BEDROCK_BASE_URL: bedrock.url } });

  it('runs to a verified PR on the default model, reads the prompt cache, prices it as that model, and shows no AWS secret anywhere', async () => {
    scenario.model.script(reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnBedrock({ prompt: 'Fix slugify', verify: 'node --test' });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2' });
    expect(result.exitCode).toBe(0);
    expect(scenario.github.pulls).toHaveLength(1);
    expect(result.summary).toContain('Ready for review: every check passed.');
    // Only a signed Bedrock request reached the model (the fake checks the signature with the secret key).
    expect(bedrock.requests.map((request) => request.path)).toEqual([
      '/model/global.anthropic.claude-sonnet-5-5/invoke-with-response-stream',
      '/model/global.anthropic.claude-sonnet-5-5/invoke-with-response-stream',
    ]);
    expect(bedrock.requests[0]!.body.anthropic_beta).toEqual(['computer-use-2025-01-24']);

    const transcript = await readFile(result.outputs.transcript_path!, 'utf8');
    const usages = transcript
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { type: string; usage?: Usage })
      .filter((entry) => entry.type === 'response')
      .map((entry) => entry.usage!);
    expect(usages).toHaveLength(2);
    expect(usages[0]!.cacheWrite).toBeGreaterThan(0);
    expect(usages[1]!.cacheRead).toBeGreaterThanOrEqual(usages[0]!.cacheWrite);
    // Claude Sonnet 5 list prices, $ per million: input 3, output 15, cache write 3.75, cache read 0.30.
    const dollars = usages.reduce((sum, u) => sum + (u.input * 3 + u.output * 15 + u.cacheWrite * 3.75 + u.cacheRead * 0.3) / 1e6, 0);
    expect(Number(result.outputs.cost_usd)).toBeCloseTo(dollars, 4);

    const shown = [
      log(result.stdout),
      log(result.stderr),
      result.summary,
      JSON.stringify(result.outputs),
      JSON.stringify(scenario.github.pulls),
      JSON.stringify(scenario.github.comments(7)),
      transcript,
      await allObjectText(scenario.repo.origin),
    ].join('\n');
    expect(leaksIn(shown, SECRETS)).toEqual([]);
    // The runner was told to mask both.
    for (const secret of SECRETS) expect(result.stdout).toContain(`::add-mask::${secret}\n`);
  });

  it('gives the agent’s commands none of the AWS variables, even when agent_env names them', async () => {
    scenario.model.script(reply([toolUse('bash', { command: 'env | grep -c "^AWS_" || true; echo "[$AWS_SECRET_ACCESS_KEY]"' })]), reply([text(REPORT)]));
    const result = await runOnBedrock({ prompt: 'Look around', agent_env: 'AWS_SECRET_ACCESS_KEY' });
    expect(result.outputs.status).toBe('completed');
    const messages = scenario.model.requests[1]!.body.messages as Array<{ content: unknown }>;
    const results = messages
      .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
      .filter((block: { type?: string }) => block.type === 'tool_result');
    expect(toolOutput(results.at(-1)!)).toMatch(/^0\n\[\]/);
  });

  it('stops at max_cost_usd as on the Claude API, at the Bedrock model’s price', async () => {
    // Each step: 10k fresh input tokens and 1k output on Claude Haiku 4.5 ($1 / $5 per million): $0.015.
    scenario.model.setDefault(() =>
      reply([toolUse('list_files', {})], { usage: { input_tokens: 10_000, output_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } }),
    );
    bedrock.setModels(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']);
    const result = await runOnBedrock({
      prompt: 'Explore',
      model: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      max_cost_usd: '0.1',
      max_output_tokens: '2000',
    });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    const steps = Number(result.outputs.steps);
    // At Sonnet's price the same budget would stop after 2 steps; at Haiku's it takes 6.
    expect(steps).toBeGreaterThanOrEqual(5);
    expect(Number(result.outputs.cost_usd)).toBeCloseTo(steps * 0.015, 4);
    expect(Number(result.outputs.cost_usd)).toBeLessThanOrEqual(0.1);
    expect(bedrock.requests.every((request) => request.path === '/model/eu.anthropic.claude-haiku-4-5-20251001-v1:0/invoke-with-response-stream')).toBe(true);
  });

  it('goes on with fallback_model when Bedrock cannot resolve the model (ResourceNotFoundException, 404)', async () => {
    // The primary is not served in this account and region: the fake answers it as Bedrock does, without reaching the model.
    bedrock.setModels(['global.anthropic.claude-sonnet-5-5']);
    scenario.model.script(reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnBedrock({
      prompt: 'Fix slugify',
      verify: 'node --test',
      model: 'global.anthropic.claude-opus-5-1',
      fallback_model: 'global.anthropic.claude-sonnet-5-5',
    });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', model: 'global.anthropic.claude-sonnet-5-5' });
    expect(bedrock.requests.map((request) => request.path)[0]).toBe('/model/global.anthropic.claude-opus-5-1/invoke-with-response-stream');
    expect(bedrock.requests.slice(1).every((request) => request.path === '/model/global.anthropic.claude-sonnet-5-5/invoke-with-response-stream')).toBe(true);
    expect(result.summary).toContain('Could not resolve the foundation model');
  });

  it('fails before any model request, saying what to add, without a region or credentials', async () => {
    const result = await runOnBedrock({ prompt: 'Fix slugify' }, {});
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('none of input aws_region, AWS_REGION or AWS_DEFAULT_REGION is set');
    expect(result.summary).toContain('aws-actions/configure-aws-credentials');
    expect(result.summary).toContain('id-token: write');
    expect(bedrock.requests).toHaveLength(0);
    expect(scenario.model.requests).toHaveLength(0);
  });

  it('refuses a Claude API model id on Bedrock, naming the input, the value and the form', async () => {
    const result = await runOnBedrock({ prompt: 'Fix slugify', model: 'claude-sonnet-4-5' });
    expect(result.exitCode).not.toBe(0);
    expect(result.summary).toContain('model must be a Bedrock model id');
    expect(result.summary).toContain('got "claude-sonnet-4-5"');
    expect(bedrock.requests).toHaveLength(0);
  });

  it('mode: doctor proves the credentials and the model with CountTokens, bills nothing, and fails on credentials Bedrock refuses', async () => {
    const doctor = (env: Record<string, string>) =>
      scenario.run({
        eventName: 'workflow_dispatch',
        event: eventFixture('workflow_dispatch'),
        inputs: { provider: 'bedrock', anthropic_api_key: '', mode: 'doctor', verify: 'node --test' },
        env: { ...env, ANTHROPIC_BEDROCK_BASE_URL: bedrock.url },
      });
    const statuses = (output: string) =>
      Object.fromEntries((JSON.parse(output) as { items: Array<{ id: string; status: string }> }).items.map((item) => [item.id, item.status]));

    const healthy = await doctor(AWS);
    expect(statuses(healthy.outputs.doctor!)).toMatchObject({ credentials: 'pass', model: 'pass' });
    expect(healthy.summary).toContain('global.anthropic.claude-sonnet-5-5 answered CountTokens in eu-west-1');
    expect(bedrock.requests.map((request) => request.path)).toEqual(['/model/global.anthropic.claude-sonnet-5-5/count-tokens']);
    expect(scenario.model.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(0);

    const refused = await doctor({ ...AWS, AWS_SECRET_ACCESS_KEY: 'an-old-rotated-secret-key-0123456789' });
    expect(refused.exitCode).toBe(1);
    expect(statuses(refused.outputs.doctor!)).toMatchObject({ credentials: 'fail', model: 'unknown' });
    expect(refused.summary).toContain('InvalidSignatureException');
    expect(leaksIn([log(refused.stdout), refused.summary].join('\n'), ['an-old-rotated-secret-key-0123456789', AWS.AWS_SESSION_TOKEN])).toEqual([]);
  });

  it('mode: doctor asks CountTokens about fallback_model with the same credentials: served passes, not served fails with the fix', async () => {
    const doctor = (fallback: string) =>
      scenario.run({
        eventName: 'workflow_dispatch',
        event: eventFixture('workflow_dispatch'),
        inputs: { provider: 'bedrock', anthropic_api_key: '', mode: 'doctor', verify: 'node --test', fallback_model: fallback },
        env: { ...AWS, ANTHROPIC_BEDROCK_BASE_URL: bedrock.url },
      });
    const items = (output: string) => (JSON.parse(output) as { items: Array<{ id: string; status: string }> }).items;

    const served = await doctor('anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(items(served.outputs.doctor!).slice(0, 3)).toEqual([
      { id: 'credentials', status: 'pass' },
      { id: 'model', status: 'pass' },
      { id: 'fallback-model', status: 'pass' },
    ]);
    expect(served.summary).toContain('| ✅ pass | The fallback model anthropic.claude-haiku-4-5-20251001-v1:0 is available on bedrock |');
    expect(served.summary).toContain('anthropic.claude-haiku-4-5-20251001-v1:0 answered CountTokens in eu-west-1');
    expect(bedrock.requests.map((request) => request.path).sort()).toEqual([
      '/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/count-tokens',
      '/model/global.anthropic.claude-sonnet-5-5/count-tokens',
    ]);

    const missing = await doctor('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(missing.exitCode).toBe(1);
    expect(missing.outputs.status).toBe('failed');
    expect(Object.fromEntries(items(missing.outputs.doctor!).map((item) => [item.id, item.status]))).toMatchObject({
      credentials: 'pass',
      model: 'pass',
      'fallback-model': 'fail',
    });
    expect(missing.summary).toContain('404 ResourceNotFoundException: Could not resolve the foundation model from the provided model identifier.');
    expect(missing.summary).toContain('Check the fallback_model id and region');
    // Neither run sent the model anything to answer.
    expect(bedrock.requests.every((request) => request.path.endsWith('/count-tokens'))).toBe(true);
    expect(leaksIn([log(missing.stdout), missing.summary].join('\n'), SECRETS)).toEqual([]);
  });
});
