import Anthropic from '@anthropic-ai/sdk';
import { AnthropicBedrock } from '@anthropic-ai/bedrock-sdk';
import { ConfigError, readConfig } from '../../src/config/readConfig.js';
import { anthropicToolTypesOn, modelAccess } from '../../src/model/access.js';
import * as BedrockSdk from '@anthropic-ai/bedrock-sdk';
import { BEDROCK_TOOL_BETA, bedrockMessagesClient, bedrockToolTypes, newBedrockClient, type BedrockAccess } from '../../src/model/bedrock.js';
import { fallbackCause } from '../../src/model/fallback.js';
import { createModel } from '../../src/model/model.js';
import { claudeName } from '../../src/model/modelName.js';
import { costUsd, priceForModel } from '../../src/model/pricing.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import { startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../support/fakeAnthropic.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyProblem, chunkFrame, crc32, exceptionFrame, startFakeBedrock, type FakeBedrock, signedBy } from '../support/fakeBedrock.js';

const AWS = {
  AWS_ACCESS_KEY_ID: 'ASIAFAKEACCESSKEY123',
  AWS_SECRET_ACCESS_KEY: 'fake/secret+access+key+0123456789abcdefghij',
  AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEFAKESESSIONTOKEN//////////wEaDFAKE',
  AWS_REGION: 'eu-west-1',
};

function bedrockEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { INPUT_PROVIDER: 'bedrock', ...AWS, ...extra };
}

function accessFor(env: NodeJS.ProcessEnv): BedrockAccess {
  const access = modelAccess(readConfig(env), env);
  if (access.provider !== 'bedrock') throw new Error('expected bedrock access');
  return access;
}

function problemsFor(env: NodeJS.ProcessEnv): string[] {
  try {
    accessFor(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('bedrockAccess: credentials and region from the environment', () => {
  it('takes what configure-aws-credentials exports, and knows the secret key and session token as secrets', () => {
    const access = accessFor(bedrockEnv());
    expect(access.region).toBe('eu-west-1');
    expect(access.credentials).toEqual({
      kind: 'sigv4',
      accessKeyId: AWS.AWS_ACCESS_KEY_ID,
      secretAccessKey: AWS.AWS_SECRET_ACCESS_KEY,
      sessionToken: AWS.AWS_SESSION_TOKEN,
    });
    expect(access.secrets).toEqual([AWS.AWS_SECRET_ACCESS_KEY, AWS.AWS_SESSION_TOKEN]);
  });

  it('takes the region from aws_region first, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    expect(accessFor(bedrockEnv({ INPUT_AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' })).region).toBe('us-west-2');
    const withoutRegion = { ...bedrockEnv({ AWS_DEFAULT_REGION: 'ap-south-1' }), AWS_REGION: undefined };
    expect(accessFor(withoutRegion).region).toBe('ap-south-1');
  });

  it('uses a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) over AWS credentials, and knows it as a secret', () => {
    const access = accessFor({ INPUT_PROVIDER: 'bedrock', AWS_REGION: 'us-east-1', AWS_BEARER_TOKEN_BEDROCK: 'ABSKbedrockapikey' });
    expect(access.credentials).toEqual({ kind: 'api-key', token: 'ABSKbedrockapikey' });
    expect(access.secrets).toEqual(['ABSKbedrockapikey']);
  });

  it('names what is missing, and the auth step and permission to add, when there are no credentials and no region', () => {
    const problems = problemsFor({ INPUT_PROVIDER: 'bedrock' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/aws_region, AWS_REGION or AWS_DEFAULT_REGION/);
    expect(problems[1]).toMatch(/AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK/);
    expect(problems[1]).toContain('aws-actions/configure-aws-credentials');
    expect(problems[1]).toContain('permissions: id-token: write');
  });

  it('names the half of a key pair that is missing, and a region that is not one', () => {
    const half = { ...bedrockEnv({ INPUT_AWS_REGION: 'us-east-1.evil.example' }), AWS_SECRET_ACCESS_KEY: undefined };
    const problems = problemsFor(half);
    expect(problems).toContainEqual(expect.stringContaining('found AWS_ACCESS_KEY_ID but not AWS_SECRET_ACCESS_KEY'));
    expect(problems).toContainEqual('aws_region must be an AWS region such as us-east-1, got "us-east-1.evil.example"');
  });

  it('takes ANTHROPIC_BEDROCK_BASE_URL as the endpoint, as the Bedrock SDK does', () => {
    expect(accessFor(bedrockEnv({ ANTHROPIC_BEDROCK_BASE_URL: 'http://127.0.0.1:9' })).baseUrl).toBe('http://127.0.0.1:9');
    expect(problemsFor(bedrockEnv({ ANTHROPIC_BEDROCK_BASE_URL: 'not a url' }))).toEqual([
      'ANTHROPIC_BEDROCK_BASE_URL must be an http(s) URL, got "not a url"',
    ]);
  });
});

describe('model ids on Bedrock', () => {
  it.each([
    'anthropic.claude-sonnet-4-5-20250929-v1:0',
    'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    'apac.anthropic.claude-sonnet-4-20250514-v1:0',
    'global.anthropic.claude-sonnet-5-5',
    'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0',
    'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
    'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6',
  ])('accepts %s', (model) => {
    expect(accessFor(bedrockEnv({ INPUT_MODEL: model, INPUT_MODEL_PRICES: '{"input": 3, "output": 15}' })).provider).toBe('bedrock');
  });

  it.each([
    ['model', 'claude-sonnet-4-5', 'that is a Claude API id; on Bedrock the same model is e.g. global.anthropic.claude-sonnet-4-5'],
    ['model', 'claude-sonnet-4-5@20250929', 'that is a Vertex AI id'],
    ['fallback_model', 'claude-haiku-4-5', 'that is a Claude API id'],
    // The default's own Claude API id, written out, is refused too: only an empty model takes the provider's default.
    ['model', 'claude-sonnet-5-5', 'that is a Claude API id; on Bedrock the same model is e.g. global.anthropic.claude-sonnet-5-5'],
  ])('refuses %s %s, naming the input, the value and the form with an example', (input, model, hint) => {
    const problems = problemsFor(bedrockEnv({ [`INPUT_${input.toUpperCase()}`]: model }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${input} must be a Bedrock model id`);
    expect(problems[0]).toContain(`got ${JSON.stringify(model)}`);
    expect(problems[0]).toContain('anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(problems[0]).toContain(hint);
  });

  it('gives provider bedrock, when model is empty, the default model as its global inference profile, and leaves other providers and chosen ids alone', () => {
    expect(readConfig({ INPUT_PROVIDER: 'bedrock' }).model).toBe('global.anthropic.claude-sonnet-5-5');
    expect(readConfig({}).model).toBe('claude-sonnet-5-5');
    expect(readConfig({ INPUT_PROVIDER: 'bedrock', INPUT_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' }).model).toBe(
      'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    // The default then passes the Bedrock form check and has a price.
    expect(accessFor(bedrockEnv()).provider).toBe('bedrock');
    expect(priceForModel(readConfig({ INPUT_PROVIDER: 'bedrock' }).model)).toEqual(priceForModel('claude-sonnet-5-5'));
  });

  it.each([
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929-v1', 3],
    ['global.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-opus-4-5-20251101-v1', 5],
    ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5-20251001-v1', 1],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4-20250514-v1', 3],
  ])('prices %s as %s', (model, name, input) => {
    expect(claudeName(model)).toBe(name);
    expect(priceForModel(model).input).toBe(input);
  });

  it('has no price for an application inference profile, whose ARN names no model: model_prices is asked for', () => {
    expect(claudeName('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6')).toBeUndefined();
    expect(() => priceForModel('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6')).toThrow(/model_prices must be set/);
  });

  it('gives the Anthropic-defined editor and bash types to Claude 4 and later, and our own schemas to Claude 3 and unnamed models', () => {
    expect(bedrockToolTypes('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toBe(true);
    expect(bedrockToolTypes('global.anthropic.claude-sonnet-5-5')).toBe(true);
    expect(bedrockToolTypes('anthropic.claude-3-5-haiku-20241022-v1:0')).toBe(false);
    expect(bedrockToolTypes('arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6')).toBe(false);
  });
});

describe('the Bedrock client against the fake Bedrock (real SDK, SigV4, event-stream framing)', () => {
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

  const env = (extra: Record<string, string> = {}) => bedrockEnv({ ANTHROPIC_BEDROCK_BASE_URL: bedrock.url, ...extra });
  const request = (model: string, tools: Anthropic.Messages.ToolUnion[] = []): Anthropic.Messages.MessageStreamParams => ({
    model,
    max_tokens: 256,
    system: [{ type: 'text', text: 'You are careful. '.repeat(40), cache_control: { type: 'ephemeral' } }],
    tools,
    messages: [{ role: 'user', content: 'Fix the failing test.' }],
  });

  it('sends the anthropic_version bedrock-runtime takes: the SDK alone would send its Claude API version, which the fake refuses as Bedrock does', async () => {
    const bare = new AnthropicBedrock({
      awsRegion: 'eu-west-1',
      baseURL: bedrock.url,
      apiKey: null,
      awsAccessKey: AWS.AWS_ACCESS_KEY_ID,
      awsSecretKey: AWS.AWS_SECRET_ACCESS_KEY,
      awsSessionToken: AWS.AWS_SESSION_TOKEN,
      maxRetries: 0,
    });
    await expect(bare.messages.stream(request('global.anthropic.claude-sonnet-5-5')).finalMessage()).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('anthropic_version'),
    });
    anthropic.script(text('Versioned.'));
    const model = createModel({ id: 'global.anthropic.claude-sonnet-5-5', access: accessFor(env()), maxRetries: 0 });
    await model.send(request(model.id), new AbortController().signal);
    expect(bedrock.requests.at(-1)!.body.anthropic_version).toBe('bedrock-2023-05-31');
  });

  it('refuses bodies as Bedrock’s schema does: model or stream in the body, no anthropic_version', () => {
    const ok = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 1, messages: [] };
    expect(bodyProblem(ok)).toBeUndefined();
    expect(bodyProblem({ ...ok, model: 'x' })).toMatchObject({
      status: 400,
      type: 'ValidationException',
      message: expect.stringContaining('extraneous key [model] is not permitted'),
    });
    expect(bodyProblem({ ...ok, stream: true })).toMatchObject({ status: 400, message: expect.stringContaining('extraneous key [stream]') });
    expect(bodyProblem({ max_tokens: 1, messages: [] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('required key [anthropic_version] not found'),
    });
  });

  it('answers an unsigned request with a 403 in Bedrock’s form: x-amzn-ErrorType and {"message"}', async () => {
    const response = await fetch(`${bedrock.url}/model/global.anthropic.claude-sonnet-5-5/invoke-with-response-stream`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^MissingAuthenticationTokenException:/);
    expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
  });

  it('computes CRC32 as the event-stream framing needs it', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('streams a reply in Bedrock wire format, signed with the session credentials, and the cache is read on the second request', async () => {
    const model = createModel({ id: 'global.anthropic.claude-sonnet-5-5', access: accessFor(env()), maxRetries: 0 });
    anthropic.script(text('First.'), text('Second.'));
    const first = await model.send(request(model.id), new AbortController().signal);
    const second = await model.send(request(model.id), new AbortController().signal);
    expect(first.message.content).toEqual([expect.objectContaining({ type: 'text', text: 'First.' })]);
    expect(second.message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Second.' })]);
    expect(first.usage.cacheWrite).toBeGreaterThan(0);
    expect(second.usage.cacheRead).toBe(first.usage.cacheWrite);
    const sent = bedrock.requests[0]!;
    expect(sent.path).toBe('/model/global.anthropic.claude-sonnet-5-5/invoke-with-response-stream');
    expect(sent.body).toMatchObject({ anthropic_version: 'bedrock-2023-05-31' });
    expect(sent.body).not.toHaveProperty('model');
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAFAKEACCESSKEY123\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=[^,]*x-amz-security-token[^,]*, Signature=[0-9a-f]{64}$/,
    );
    // Priced as the Claude model the profile names.
    expect(costUsd(second.usage, priceForModel(model.id))).toBeCloseTo(costUsd(second.usage, priceForModel('claude-sonnet-5-5')));
  });

  it('sends the toolbox of a Claude 4 model as Anthropic-defined types with the tool beta, and of a Claude 3 model as JSON schemas', async () => {
    const ctx = { workspace: process.cwd(), env: {}, commandTimeoutMs: 1000, maxOutputBytes: 1000, checks: [], signal: new AbortController().signal };
    for (const id of ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'anthropic.claude-3-5-haiku-20241022-v1:0']) {
      const access = accessFor(env({ INPUT_MODEL: id, INPUT_MODEL_PRICES: '{"input": 1, "output": 5}' }));
      const toolbox = createToolbox(ctx, { anthropicToolTypes: anthropicToolTypesOn(access, id) });
      anthropic.script(toolUse('list_files', {}));
      const answer = await createModel({ id, access, maxRetries: 0 }).send(
        request(id, toolbox.definitions as Anthropic.Messages.ToolUnion[]),
        new AbortController().signal,
      );
      expect(answer.message.stop_reason).toBe('tool_use');
    }
    const [claude4, claude3] = bedrock.requests.map((sent) => sent.body);
    expect(claude4.tools.map((tool: { type?: string }) => tool.type)).toEqual(expect.arrayContaining(['text_editor_20250728', 'bash_20250124']));
    expect(claude4.anthropic_beta).toEqual([BEDROCK_TOOL_BETA]);
    expect(claude3.tools.every((tool: { type?: string; input_schema?: unknown }) => tool.type === undefined && tool.input_schema !== undefined)).toBe(true);
    expect(claude3).not.toHaveProperty('anthropic_beta');
  });

  it('is refused as Bedrock refuses: Anthropic-defined tool types without the beta, a wrong secret key, an unknown model, throttling', async () => {
    const raw = new AnthropicBedrock({
      awsRegion: 'eu-west-1',
      baseURL: bedrock.url,
      defaultHeaders: { 'anthropic-version': 'bedrock-2023-05-31' },
      apiKey: null,
      awsAccessKey: AWS.AWS_ACCESS_KEY_ID,
      awsSecretKey: AWS.AWS_SECRET_ACCESS_KEY,
      awsSessionToken: AWS.AWS_SESSION_TOKEN,
      maxRetries: 0,
    });
    const noBeta = raw.messages.create({
      ...(request('global.anthropic.claude-sonnet-5-5', [{ type: 'bash_20250124', name: 'bash' }]) as Anthropic.Messages.MessageCreateParamsNonStreaming),
      stream: false,
    });
    await expect(noBeta).rejects.toMatchObject({ status: 400, message: expect.stringContaining('bash_20250124 is not a valid enum value') });

    const wrongKey = createModel({
      id: 'global.anthropic.claude-sonnet-5-5',
      access: accessFor(env({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' })),
      maxRetries: 0,
    });
    await expect(wrongKey.send(request(wrongKey.id), new AbortController().signal)).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('signature we calculated does not match'),
    });

    const unknown = createModel({
      id: 'global.anthropic.claude-opus-9-9',
      access: accessFor(env({ INPUT_MODEL_PRICES: '{"input": 1, "output": 5}' })),
      maxRetries: 0,
    });
    await expect(unknown.send(request(unknown.id), new AbortController().signal)).rejects.toBeInstanceOf(Anthropic.NotFoundError);

    anthropic.script({ status: 429 });
    const throttled = createModel({ id: 'global.anthropic.claude-sonnet-5-5', access: accessFor(env()), maxRetries: 0 });
    await expect(throttled.send(request(throttled.id), new AbortController().signal)).rejects.toMatchObject({
      status: 429,
      message: expect.stringContaining('Too many requests'),
    });
    expect(bedrock.requests.at(-1)!.headers).toHaveProperty('x-amz-security-token', AWS.AWS_SESSION_TOKEN);
  });

  it('keeps a caller’s own beta beside the tool beta', async () => {
    anthropic.script(text('Both.'));
    const client = bedrockMessagesClient(newBedrockClient(BedrockSdk, accessFor(env()), { maxRetries: 0, timeoutMs: 10_000 }));
    await client.messages
      .stream(request('global.anthropic.claude-sonnet-5-5', [{ type: 'bash_20250124', name: 'bash' }]), {
        headers: { 'anthropic-beta': 'context-1m-2025-08-07' },
      })
      .finalMessage();
    expect(bedrock.requests[0]!.body.anthropic_beta).toEqual(['context-1m-2025-08-07', BEDROCK_TOOL_BETA]);
  });

  it('reaches a model named by an inference profile ARN, signed over the ARN as the path carries it', async () => {
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0';
    bedrock.setModels(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']);
    anthropic.script(text('Profiled.'));
    const answer = await createModel({ id: arn, access: accessFor(env({ INPUT_MODEL: arn })), maxRetries: 0 }).send(request(arn), new AbortController().signal);
    expect(answer.message.content).toEqual([expect.objectContaining({ text: 'Profiled.' })]);
    // The SDK escapes the ARN's slash so the id stays one path segment; the fake checks the signature over that path.
    expect(bedrock.requests[0]!.path).toBe(`/model/${arn.replace('/', '%2F')}/invoke-with-response-stream`);
  });

  it('retries a stream cut after its 200, as on the Claude API', async () => {
    anthropic.script({ cutAfterEvents: 3 }, text('Whole.'));
    const model = createModel({ id: 'global.anthropic.claude-sonnet-5-5', access: accessFor(env()), maxRetries: 0 });
    const answer = await model.send(request(model.id), new AbortController().signal);
    expect(answer.message.content).toEqual([expect.objectContaining({ text: 'Whole.' })]);
    expect(bedrock.requests).toHaveLength(2);
  });

  it('signs with a Bedrock API key as a bearer token instead', async () => {
    await bedrock.close();
    bedrock = await startFakeBedrock({ anthropic, region: 'us-east-1', apiKey: 'ABSKbedrockapikey' });
    anthropic.script(text('Keyed.'));
    const access = accessFor({
      INPUT_PROVIDER: 'bedrock',
      AWS_REGION: 'us-east-1',
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKbedrockapikey',
      ANTHROPIC_BEDROCK_BASE_URL: bedrock.url,
    });
    const answer = await createModel({ id: 'global.anthropic.claude-sonnet-5-5', access, maxRetries: 0 }).send(
      request('global.anthropic.claude-sonnet-5-5'),
      new AbortController().signal,
    );
    expect(answer.message.content).toEqual([expect.objectContaining({ text: 'Keyed.' })]);
    expect(bedrock.requests[0]!.headers.authorization).toBe('Bearer ABSKbedrockapikey');
  });
});

describe('the fake’s event-stream frames, read by the real Bedrock SDK', () => {
  let server: Server;
  let frames: Buffer[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      for (const frame of frames) res.write(frame);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const stream = () =>
    new AnthropicBedrock({ awsRegion: 'us-east-1', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k', maxRetries: 0 }).messages
      .stream({ model: 'global.anthropic.claude-sonnet-5-5', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] })
      .finalMessage();
  const start = {
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-5-5',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    },
  };

  it('turns an exception frame after the 200 into the SDK’s error, as Bedrock’s ThrottlingException mid-stream', async () => {
    frames = [chunkFrame(start), exceptionFrame('ThrottlingException', 'Too many tokens, please wait before trying again.')];
    await expect(stream()).rejects.toThrow(/Too many tokens/);
  });

  it('reads Bedrock’s ServiceUnavailableException mid-stream as overloaded (fallback_model takes over), and its ThrottlingException as a rate limit (it does not)', async () => {
    frames = [chunkFrame(start), exceptionFrame('ServiceUnavailableException', 'Bedrock is unable to process your request.')];
    const unavailable = await stream().catch((error: unknown) => error);
    expect(fallbackCause(unavailable)).toBe('overloaded');
    frames = [chunkFrame(start), exceptionFrame('ThrottlingException', 'Too many tokens, please wait before trying again.')];
    const throttled = await stream().catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(Anthropic.APIError);
    expect(fallbackCause(throttled)).toBeUndefined();
  });

  it('rejects a frame whose message CRC is wrong: the SDK checks what the fake computes', async () => {
    const broken = Buffer.from(chunkFrame(start));
    broken.writeUInt32BE((broken.readUInt32BE(broken.length - 4) ^ 1) >>> 0, broken.length - 4);
    frames = [broken];
    await expect(stream()).rejects.toThrow(/checksum/i);
  });
});
