import { readConfig } from '../../src/config/readConfig.js';
import { doctorChecklist } from '../../src/doctor/checklist.js';
import type { DoctorFacts, PlatformFacts } from '../../src/doctor/facts.js';
import { fallbackFacts } from '../../src/doctor/gather.js';
import { platformItems } from '../../src/doctor/platformItems.js';
import type { DoctorItem } from '../../src/records/doctor.js';

const TRAITS = { usesAppToken: false, signsCommits: false };

function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    apiKeySet: true,
    models: { ok: true, value: ['claude-opus-5-1', 'claude-sonnet-5-5'] },
    model: { ok: true, value: 'claude-sonnet-5-5' },
    modelName: 'claude-sonnet-5-5',
    priceKnown: true,
    fork: { repositoryIsFork: false, repository: 'octo/demo', allowForks: false },
    verify: ['npm test'],
    ...over,
  };
}

const ids = (items: DoctorItem[]) => items.map((each) => each.id);
const item = (items: DoctorItem[], id: string) => items.find((each) => each.id === id);
const config = (inputs: Record<string, string>) => readConfig({}, { anthropic_api_key: 'k', ...inputs });

describe('fallback_model as the run judges it (config → refusal, before any API)', () => {
  it('has no facts at all without a fallback_model', () => {
    expect(fallbackFacts(config({}))).toBeUndefined();
  });

  it('accepts another priced model that takes the same tools', () => {
    expect(fallbackFacts(config({ model: 'claude-opus-5-1', fallback_model: 'claude-haiku-5-0' }))).toEqual({ name: 'claude-haiku-5-0' });
  });

  it("refuses in the run's own words: the same model, another kind of tools, no built-in price", () => {
    expect(fallbackFacts(config({ model: 'claude-opus-5-1', fallback_model: 'claude-opus-5-1' }))?.refusal).toBe(
      'fallback_model must name another model than model, got claude-opus-5-1 for both (leave fallback_model empty for none)',
    );
    expect(fallbackFacts(config({ model: 'claude-sonnet-5-5', fallback_model: 'claude-3-5-haiku-20241022' }))?.refusal).toMatch(
      /^fallback_model must take the same kind of tools as model on provider anthropic, got claude-3-5-haiku-20241022 \(plain JSON-schema tools\)/,
    );
    expect(fallbackFacts(config({ model: 'claude-sonnet-5-5', fallback_model: 'claude-nightly-9' }))?.refusal).toMatch(
      /^fallback_model must be a model with a built-in price, got claude-nightly-9: .*model_prices prices model claude-sonnet-5-5 only/,
    );
  });

  it("judges the fallback's price even when the model itself has none (model_prices prices only the model)", () => {
    const gateway = config({ model: 'my-gateway-model', model_prices: '{"input": 2, "output": 8}', fallback_model: 'acme-model-2' });
    expect(fallbackFacts(gateway)?.refusal).toMatch(/^fallback_model must be a model with a built-in price, got acme-model-2/);
    const priced = config({ model: 'claude-sonnet-5-5', model_prices: '{"input": 2, "output": 8}', fallback_model: 'claude-haiku-5-0' });
    expect(fallbackFacts(priced)).toEqual({ name: 'claude-haiku-5-0' });
  });

  it('reads the tool kinds of the platform the run is on', () => {
    const bedrock = config({
      provider: 'bedrock',
      model: 'global.anthropic.claude-sonnet-5-5',
      fallback_model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
    });
    expect(fallbackFacts(bedrock)?.refusal).toMatch(/same kind of tools as model on provider bedrock/);
  });
});

describe('the fallback-model item on the Claude API (facts → item)', () => {
  it('is absent when fallback_model is empty', () => {
    expect(ids(doctorChecklist(facts(), TRAITS))).not.toContain('fallback-model');
  });

  it('comes right after model and passes when the Models API finds it', () => {
    const items = doctorChecklist(facts({ fallback: { name: 'claude-opus-5-1' }, fallbackModel: { ok: true, value: 'claude-opus-5-1' } }), TRAITS);
    expect(ids(items).slice(0, 3)).toEqual(['api-key', 'model', 'fallback-model']);
    expect(item(items, 'fallback-model')).toEqual({
      id: 'fallback-model',
      title: 'The fallback model claude-opus-5-1 is available',
      status: 'pass',
      detail: 'GET /v1/models/claude-opus-5-1 found claude-opus-5-1.',
    });
  });

  it("fails one the key's models do not include, naming some it has and the input to change", () => {
    const missing = item(
      doctorChecklist(
        facts({ fallback: { name: 'claude-haiku-5-0' }, fallbackModel: { ok: false, status: 404, message: 'not_found_error: model: claude-haiku-5-0' } }),
        TRAITS,
      ),
      'fallback-model',
    );
    expect(missing).toMatchObject({
      status: 'fail',
      detail: "The key's models do not include claude-haiku-5-0 (claude-opus-5-1, claude-sonnet-5-5).",
      fix: 'Set fallback_model to a model id the key may use (GET /v1/models lists them), or leave it empty.',
    });
  });

  it('fails a refused one on its refusal, whatever the API would say', () => {
    const refusal = 'fallback_model must name another model than model, got claude-sonnet-5-5 for both (leave fallback_model empty for none)';
    const refused = item(doctorChecklist(facts({ fallback: { name: 'claude-sonnet-5-5', refusal } }), TRAITS), 'fallback-model');
    expect(refused).toMatchObject({ status: 'fail', detail: `${refusal}.`, fix: expect.stringContaining('or leave it empty') });
    // A refusal that ends its own sentence gets no second full stop.
    const tools = fallbackFacts(config({ model: 'claude-sonnet-5-5', fallback_model: 'claude-3-5-haiku-20241022' }))!;
    const detail = item(doctorChecklist(facts({ fallback: tools }), TRAITS), 'fallback-model')!.detail;
    expect(detail).toBe(tools.refusal);
    expect(detail).toMatch(/Choose a Claude 4 or later model for both\.$/);
  });

  it('cannot tell without a key the API accepts, nor when the API answers something else', () => {
    const refusedKey = facts({
      models: { ok: false, status: 401, message: 'authentication_error: invalid x-api-key' },
      fallback: { name: 'claude-opus-5-1' },
      fallbackModel: { ok: false, status: 401, message: 'x' },
    });
    expect(item(doctorChecklist(refusedKey, TRAITS), 'fallback-model')).toMatchObject({ status: 'unknown', fix: expect.stringContaining('anthropic_api_key') });
    const gateway = facts({ fallback: { name: 'claude-opus-5-1' }, fallbackModel: { ok: false, status: 502, message: 'Bad Gateway' } });
    expect(item(doctorChecklist(gateway, TRAITS), 'fallback-model')).toMatchObject({
      status: 'unknown',
      detail: 'GET /v1/models/claude-opus-5-1: 502 Bad Gateway.',
    });
  });
});

describe('the fallback-model item on Bedrock and Vertex (facts → items)', () => {
  const platform = (over: Partial<PlatformFacts> = {}): PlatformFacts => ({
    platform: 'bedrock',
    credentials: { ok: true, value: 'Bedrock in eu-west-1 accepted the signed request' },
    model: { ok: true, value: 'global.anthropic.claude-sonnet-5-5 answered CountTokens' },
    credentialsFix: 'Check the AWS credentials',
    modelFix: 'Check the model id and region',
    ...over,
  });
  const FALLBACK = { name: 'global.anthropic.claude-haiku-5-0' };

  it('is absent without a fallback_model, and third when there is one', () => {
    expect(ids(platformItems(platform(), 'global.anthropic.claude-sonnet-5-5', true))).toEqual(['credentials', 'model']);
    const items = platformItems(platform({ fallback: { ok: true, value: 'it counted' } }), 'global.anthropic.claude-sonnet-5-5', true, FALLBACK);
    expect(items.map((each) => [each.id, each.status])).toEqual([
      ['credentials', 'pass'],
      ['model', 'pass'],
      ['fallback-model', 'pass'],
    ]);
    expect(items[2]).toMatchObject({ title: 'The fallback model global.anthropic.claude-haiku-5-0 is available on bedrock', detail: 'it counted' });
  });

  it("fails one the platform does not serve, with the platform's words and the fallback's fix", () => {
    const facts = platform({
      fallback: { ok: false, status: 404, message: 'ResourceNotFoundException: Could not resolve the foundation model' },
      fallbackFix: 'Check the fallback_model id and region',
    });
    expect(platformItems(facts, 'global.anthropic.claude-sonnet-5-5', true, FALLBACK)[2]).toMatchObject({
      status: 'fail',
      detail: '404 ResourceNotFoundException: Could not resolve the foundation model.',
      fix: 'Check the fallback_model id and region',
    });
  });

  it('cannot tell when the credentials fail, and fails a refused one without asking', () => {
    const noCredentials = platform({ credentials: { ok: false, status: 403, message: 'InvalidSignatureException: no' } });
    expect(platformItems(noCredentials, 'm', true, FALLBACK)[2]).toMatchObject({ status: 'unknown', fix: 'Check the AWS credentials' });
    const refused = platformItems(platform(), 'm', true, { ...FALLBACK, refusal: 'fallback_model must take the same kind of tools as model' });
    expect(refused[2]).toMatchObject({ status: 'fail', detail: 'fallback_model must take the same kind of tools as model.' });
  });
});
