import { readConfig } from '../../src/config/readConfig.js';
import { probePlatform } from '../../src/doctor/platformProbe.js';
import { platformItems } from '../../src/doctor/platformItems.js';
import { fallbackFacts } from '../../src/doctor/gather.js';
import { startFakeAnthropic, type FakeAnthropic } from '../support/fakeAnthropic.js';
import { startFakeBedrock, type FakeBedrock, signedBy } from '../support/fakeBedrock.js';

const AWS = {
  AWS_ACCESS_KEY_ID: 'ASIADOCTORFAKEKEY123',
  AWS_SECRET_ACCESS_KEY: 'doctor/secret+access+key+0123456789abcdef',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEDOCTORSESSIONTOKEN0123456789',
  AWS_REGION: 'us-west-2',
};

let anthropic: FakeAnthropic;
let bedrock: FakeBedrock;
beforeEach(async () => {
  anthropic = await startFakeAnthropic();
  bedrock = await startFakeBedrock({ anthropic, ...signedBy(AWS) });
});
afterEach(async () => {
  await bedrock.close();
  await anthropic.close();
});

async function doctor(extra: Record<string, string | undefined> = {}) {
  const env = { INPUT_PROVIDER: 'bedrock', ...AWS, ANTHROPIC_BEDROCK_BASE_URL: bedrock.url, ...extra };
  const config = readConfig(env);
  const fallback = fallbackFacts(config);
  const facts = await probePlatform({ config, env, fallbackModel: fallback?.name, timeoutMs: 5000 });
  const [credentials, model, fallbackModel] = platformItems(facts, config.model, true, fallback);
  return { facts, credentials: credentials!, model: model!, fallbackModel };
}

describe('the Bedrock doctor probe (CountTokens with the run’s credentials, against the fake Bedrock)', () => {
  it('passes both items on good credentials and a served model, and bills nothing: no model request is made', async () => {
    const { credentials, model } = await doctor();
    expect(credentials).toMatchObject({ status: 'pass', detail: expect.stringContaining('Bedrock in us-west-2 accepted the signed request') });
    expect(model).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^global\.anthropic\.claude-sonnet-5-5 answered CountTokens in us-west-2 \(\d+ input tokens/),
    });
    expect(bedrock.requests.map((request) => request.path)).toEqual(['/model/global.anthropic.claude-sonnet-5-5/count-tokens']);
    expect(anthropic.requests.map((request) => request.path)).toEqual(['/v1/messages/count_tokens']);
  });

  it('fails the credentials on a wrong secret key, with the fix', async () => {
    const { credentials, model } = await doctor({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(credentials).toMatchObject({ status: 'fail', detail: expect.stringContaining('InvalidSignatureException') });
    expect(credentials.fix).toContain('aws-actions/configure-aws-credentials');
    expect(model.status).toBe('unknown');
  });

  it('fails the credentials when the session token is not the one they belong to', async () => {
    const { credentials } = await doctor({ AWS_SESSION_TOKEN: 'some-other-session' });
    expect(credentials).toMatchObject({ status: 'fail', detail: expect.stringContaining('UnrecognizedClientException') });
  });

  it('passes the credentials and fails the model when the account has no access to it, naming the IAM actions', async () => {
    bedrock.denyModels(['global.anthropic.claude-sonnet-5-5']);
    const { credentials, model } = await doctor();
    expect(credentials.status).toBe('pass');
    expect(model).toMatchObject({ status: 'fail', detail: expect.stringContaining('AccessDeniedException') });
    expect(model.fix).toContain('bedrock:InvokeModelWithResponseStream');
  });

  it('fails the model when the region does not serve it', async () => {
    const { model } = await doctor({ INPUT_MODEL: 'apac.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(model).toMatchObject({ status: 'fail', detail: expect.stringContaining('ResourceNotFoundException') });
  });

  it('says plainly when the model does not count tokens, so reachability shows at the first request', async () => {
    bedrock.noCountTokens(['global.anthropic.claude-sonnet-5-5']);
    const { model } = await doctor();
    expect(model).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('does not count tokens there; whether the role may invoke it shows at the first request'),
    });
  });

  it('fails with the run’s own sentence when there are no credentials at all', async () => {
    const { credentials } = await doctor({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined });
    expect(credentials).toMatchObject({ status: 'fail', detail: expect.stringContaining('provider bedrock needs AWS credentials') });
    expect(bedrock.requests).toHaveLength(0);
  });

  it('asks CountTokens about fallback_model too, with the same signed client: served passes, not served fails with the fix', async () => {
    const served = await doctor({ INPUT_FALLBACK_MODEL: 'anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(served.fallbackModel).toMatchObject({
      id: 'fallback-model',
      status: 'pass',
      detail: expect.stringMatching(/^anthropic\.claude-haiku-4-5-20251001-v1:0 answered CountTokens in us-west-2/),
    });
    expect(bedrock.requests.map((request) => request.path).sort()).toEqual([
      '/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/count-tokens',
      '/model/global.anthropic.claude-sonnet-5-5/count-tokens',
    ]);

    const missing = await doctor({ INPUT_FALLBACK_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });
    expect(missing.credentials.status).toBe('pass');
    expect(missing.model.status).toBe('pass');
    expect(missing.fallbackModel).toMatchObject({ status: 'fail', detail: expect.stringContaining('404 ResourceNotFoundException') });
    expect(missing.fallbackModel!.fix).toMatch(/^Check the fallback_model id and region/);
  });

  it("fails a fallback_model the run would refuse, in the run's own words, whatever Bedrock says", async () => {
    const refused = await doctor({ INPUT_FALLBACK_MODEL: 'global.anthropic.claude-sonnet-5-5' });
    expect(refused.fallbackModel).toMatchObject({ status: 'fail', detail: expect.stringContaining('fallback_model must name another model than model') });
  });
});
