import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/readConfig.js';
import { anthropicToolTypesOn, modelAccess } from '../../src/model/access.js';
import { createModel } from '../../src/model/model.js';
import { claudeName } from '../../src/model/modelName.js';
import { vertexClient } from '../../src/model/vertexClient.js';
import { priceForModel } from '../../src/model/pricing.js';
import type { VertexAccess } from '../../src/model/vertex.js';
import { reply, text } from '../support/fakeAnthropic.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fakeGoogle.js';
import { startFakeVertex, type FakeVertex } from '../support/fakeVertex.js';

let dir: string;
let google: FakeGoogle;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vertex-test-'));
  google = await startFakeGoogle();
});
afterAll(async () => {
  await google.close();
  await rm(dir, { recursive: true, force: true });
});

async function credentials(content: unknown, name = 'gha-creds-0123abcd.json'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  return path;
}

function access(inputs: Record<string, string>, env: Record<string, string>): VertexAccess {
  const config = readConfig({}, { provider: 'vertex', ...inputs });
  return modelAccess(config, env) as VertexAccess;
}

function problem(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('vertexAccess: what the auth step exported, and the inputs', () => {
  it('takes the project from gcp_project first, then GOOGLE_CLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, GCLOUD_PROJECT, then the file', async () => {
    const path = await credentials(google.credentialsFile({ quotaProject: 'file-project' }));
    const env = {
      GOOGLE_APPLICATION_CREDENTIALS: path,
      GOOGLE_CLOUD_PROJECT: 'env-project',
      CLOUDSDK_CORE_PROJECT: 'sdk-project',
      GCLOUD_PROJECT: 'gcloud-project',
    };
    expect(access({ gcp_project: 'input-project' }, env).projectId).toBe('input-project');
    expect(access({}, env).projectId).toBe('env-project');
    expect(access({}, { ...env, GOOGLE_CLOUD_PROJECT: '' }).projectId).toBe('sdk-project');
    expect(access({}, { GOOGLE_APPLICATION_CREDENTIALS: path, GCLOUD_PROJECT: 'gcloud-project' }).projectId).toBe('gcloud-project');
    expect(access({}, { GOOGLE_APPLICATION_CREDENTIALS: path }).projectId).toBe('file-project');
  });

  it('takes the region from gcp_region, then CLOUD_ML_REGION, else the global endpoint', async () => {
    const env = { GOOGLE_GHA_CREDS_PATH: await credentials(google.credentialsFile()), GOOGLE_CLOUD_PROJECT: 'demo-project' };
    expect(access({ gcp_region: 'europe-west1' }, { ...env, CLOUD_ML_REGION: 'us-east5' }).region).toBe('europe-west1');
    expect(access({}, { ...env, CLOUD_ML_REGION: 'us-east5' }).region).toBe('us-east5');
    expect(access({}, env).region).toBe('global');
    expect(problem(() => access({ gcp_region: 'us east' }, env))).toContain(
      'gcp_region must be a Vertex AI location such as global, us-east5 or europe-west1, got "us east"',
    );
  });

  it('reads the base URL from ANTHROPIC_VERTEX_BASE_URL, as the SDK does', async () => {
    const env = { GOOGLE_APPLICATION_CREDENTIALS: await credentials(google.credentialsFile()), GOOGLE_CLOUD_PROJECT: 'demo-project' };
    expect(access({}, { ...env, ANTHROPIC_VERTEX_BASE_URL: 'http://127.0.0.1:9/v1' }).baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(access({}, env).baseUrl).toBeUndefined();
  });

  it('says what is missing and how to fix it: no credentials, no project', async () => {
    expect(problem(() => access({}, {}))).toContain(
      'provider vertex needs Google credentials, but none of GOOGLE_APPLICATION_CREDENTIALS, GOOGLE_GHA_CREDS_PATH, CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE is set: add a google-github-actions/auth step',
    );
    expect(problem(() => access({}, {}))).toContain('permissions: id-token: write');
    const path = await credentials(google.credentialsFile());
    expect(problem(() => access({}, { GOOGLE_APPLICATION_CREDENTIALS: path }))).toContain(
      'provider vertex needs a Google Cloud project: set the input gcp_project',
    );
    expect(problem(() => access({}, { GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'gone.json') }))).toContain(
      `GOOGLE_APPLICATION_CREDENTIALS names the Google credentials file ${join(dir, 'gone.json')}, which cannot be read (ENOENT)`,
    );
  });

  it('names the file and the field when the credentials file is wrong, never a value', async () => {
    const notJson = await credentials('{"type": ', 'broken.json');
    expect(problem(() => access({ gcp_project: 'p-123456' }, { GOOGLE_APPLICATION_CREDENTIALS: notJson }))).toContain(
      `the Google credentials file ${notJson} (GOOGLE_APPLICATION_CREDENTIALS) is not JSON`,
    );
    const file = google.credentialsFile() as any;
    const wrong = await credentials(
      { ...file, token_url: 'not a url', credential_source: { ...file.credential_source, headers: { Authorization: 7 } } },
      'wrong.json',
    );
    const said = problem(() => access({ gcp_project: 'p-123456' }, { GOOGLE_APPLICATION_CREDENTIALS: wrong }));
    expect(said).toContain(
      `the Google credentials file ${wrong} (GOOGLE_APPLICATION_CREDENTIALS) must be an external_account (Workload Identity Federation), service_account or authorized_user file`,
    );
    expect(said).toContain('token_url:');
    expect(said).toContain('credential_source.headers.Authorization:');
    const unknown = await credentials({ type: 'impersonated_service_account' }, 'unknown.json');
    expect(problem(() => access({ gcp_project: 'p-123456' }, { GOOGLE_APPLICATION_CREDENTIALS: unknown }))).toContain('type:');
  });

  it('knows the secrets in the file: the OIDC request token (with and without Bearer), a private key whole and as one line', async () => {
    const wif = access({ gcp_project: 'p-123456' }, { GOOGLE_APPLICATION_CREDENTIALS: await credentials(google.credentialsFile()) });
    expect(wif.secrets).toEqual(expect.arrayContaining([`Bearer ${google.requestToken}`, google.requestToken]));
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
    const sa = await credentials(
      {
        type: 'service_account',
        project_id: 'sa-project',
        private_key_id: 'abcdef0123456789',
        private_key: key,
        client_email: 'x@sa-project.iam.gserviceaccount.com',
      },
      'sa.json',
    );
    const viaKey = access({}, { GOOGLE_APPLICATION_CREDENTIALS: sa });
    expect(viaKey.projectId).toBe('sa-project');
    expect(viaKey.secrets).toEqual(expect.arrayContaining([key, 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'abcdef0123456789']));
  });
});

describe('the endpoint the client is made for', () => {
  it.each([
    ['global', 'https://aiplatform.googleapis.com/v1'],
    ['us-east5', 'https://us-east5-aiplatform.googleapis.com/v1'],
    ['europe-west1', 'https://europe-west1-aiplatform.googleapis.com/v1'],
  ])('region %s is served from %s unless ANTHROPIC_VERTEX_BASE_URL says otherwise', async (region, host) => {
    const env = { GOOGLE_APPLICATION_CREDENTIALS: await credentials(google.credentialsFile()), GOOGLE_CLOUD_PROJECT: 'demo-project' };
    const client = await vertexClient(access({ gcp_region: region }, env), { maxRetries: 0, timeoutMs: 1000 });
    expect(client.baseURL).toBe(host);
    const pointed = await vertexClient(access({ gcp_region: region }, { ...env, ANTHROPIC_VERTEX_BASE_URL: 'http://127.0.0.1:9/v1' }), {
      maxRetries: 0,
      timeoutMs: 1000,
    });
    expect(pointed.baseURL).toBe('http://127.0.0.1:9/v1');
  });
});

describe('model ids on Vertex', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { GOOGLE_APPLICATION_CREDENTIALS: await credentials(google.credentialsFile()), GOOGLE_CLOUD_PROJECT: 'demo-project' };
  });

  it('accepts the dated Vertex form, the undated id, and the default model', () => {
    expect(() => access({ model: 'claude-sonnet-4-5@20250929' }, env)).not.toThrow();
    expect(() => access({ model: 'claude-sonnet-4-5', fallback_model: 'claude-haiku-4-5@20251001' }, env)).not.toThrow();
    expect(() => access({}, env)).not.toThrow();
  });

  it('refuses a Bedrock id and a Claude API dated id, naming the input, the value and the form with an example', () => {
    expect(problem(() => access({ model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' }, env))).toContain(
      'model must be a Vertex AI model id such as claude-sonnet-4-5@20250929 (or an undated id such as claude-sonnet-5-5) for provider vertex, got anthropic.claude-sonnet-4-5-20250929-v1:0, which is an Amazon Bedrock id',
    );
    expect(problem(() => access({ fallback_model: 'claude-haiku-4-5-20251001' }, env))).toContain(
      'fallback_model must be a Vertex AI model id such as claude-sonnet-4-5@20250929 (or an undated id such as claude-sonnet-5-5) for provider vertex, got claude-haiku-4-5-20251001, which is a Claude API id: on Vertex it is claude-haiku-4-5@20251001',
    );
    expect(problem(() => access({ model: 'gemini-2.5-pro' }, env))).toContain('got gemini-2.5-pro');
  });

  it('prices a Vertex id as the Claude model it names', () => {
    expect(claudeName('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
    expect(claudeName('claude-3-5-sonnet-v2@20241022')).toBe('claude-3-5-sonnet-v2');
    expect(priceForModel('claude-sonnet-4-5@20250929')).toEqual(priceForModel('claude-sonnet-4-5'));
    expect(priceForModel('claude-opus-4-5@20251101').input).toBe(5);
    expect(priceForModel('claude-haiku-4-5@20251001').output).toBe(5);
  });

  it('sends the Anthropic-defined editor and bash tools to Claude 4 and later on Vertex, JSON-schema tools to Claude 3', () => {
    const vertex = access({}, env);
    expect(anthropicToolTypesOn(vertex, 'claude-sonnet-4-5@20250929')).toBe(true);
    expect(anthropicToolTypesOn(vertex, 'claude-opus-4-6')).toBe(true);
    expect(anthropicToolTypesOn(vertex, 'claude-3-7-sonnet@20250219')).toBe(false);
    expect(anthropicToolTypesOn(vertex, 'claude-3-5-haiku@20241022')).toBe(false);
  });
});

describe('the real AnthropicVertex client against the fake Vertex and Google (WIF)', () => {
  let vertex: FakeVertex;
  let env: Record<string, string>;
  const signal = new AbortController().signal;
  const MODEL = 'claude-sonnet-4-5@20250929';
  const request = {
    model: MODEL,
    max_tokens: 256,
    system: [{ type: 'text' as const, text: 'You are careful. '.repeat(40), cache_control: { type: 'ephemeral' as const } }],
    messages: [{ role: 'user' as const, content: 'Say hi' }],
  };

  beforeEach(async () => {
    vertex = await startFakeVertex({ google, project: 'demo-project', region: 'us-east5', models: [MODEL, 'claude-haiku-4-5@20251001'] });
    env = {
      GOOGLE_APPLICATION_CREDENTIALS: await credentials(google.credentialsFile()),
      GOOGLE_CLOUD_PROJECT: 'demo-project',
      CLOUD_ML_REGION: 'us-east5',
      ANTHROPIC_VERTEX_BASE_URL: vertex.url,
    };
  });
  afterEach(async () => {
    await vertex.close();
  });

  it('streams a reply over streamRawPredict with a token from the WIF exchange, vertex-2023-10-16 in the body and no model', async () => {
    vertex.anthropic.script(reply([text('hi')]), reply([text('again')]));
    const model = createModel({ id: MODEL, access: access({ model: MODEL }, env), maxRetries: 0 });
    const first = await model.send(request, signal);
    expect(first.message.content).toEqual([expect.objectContaining({ type: 'text', text: 'hi' })]);
    const [seen] = vertex.requests;
    expect(seen!.path).toBe(`/v1/projects/demo-project/locations/us-east5/publishers/anthropic/models/${MODEL}:streamRawPredict`);
    expect(seen!.body.anthropic_version).toBe('vertex-2023-10-16');
    expect(seen!.body.model).toBeUndefined();
    expect(seen!.headers['anthropic-version']).toBeUndefined();
    expect(seen!.headers.authorization).toMatch(/^Bearer ya29\.c\.sa-/);
    // The OIDC request token went to GitHub's endpoint only, the id token to STS, the federated token to IAM.
    expect(google.requests.map((each) => each.path)).toEqual(expect.arrayContaining(['/github/oidc', '/sts/v1/token']));
    // The prompt cache holds across requests, as on the Claude API.
    const second = await model.send(request, signal);
    expect(first.usage.cacheWrite).toBeGreaterThan(0);
    expect(second.usage.cacheRead).toBe(first.usage.cacheWrite);
  });

  it("rides out Google's 429 RESOURCE_EXHAUSTED with the SDK's retries", async () => {
    vertex.fail(429);
    vertex.anthropic.script(reply([text('after the quota')]));
    const model = createModel({ id: MODEL, access: access({ model: MODEL }, env), maxRetries: 2 });
    const answer = await model.send(request, signal);
    expect(answer.message.content[0]).toEqual(expect.objectContaining({ text: 'after the quota' }));
    expect(vertex.requests.map((each) => each.status)).toEqual([429, 200]);
  });

  it("says Google's NOT_FOUND for a model Vertex does not serve, and 401 for a token it never issued", async () => {
    const model = createModel({ id: 'claude-opus-4-1@20250805', access: access({ model: 'claude-opus-4-1@20250805' }, env), maxRetries: 0 });
    await expect(model.send({ ...request, model: 'claude-opus-4-1@20250805' }, signal)).rejects.toThrow(
      /404.*Publisher Model `projects\/demo-project\/locations\/us-east5\/publishers\/anthropic\/models\/claude-opus-4-1@20250805` not found/,
    );
    const forged = await fetch(`${vertex.url}/projects/demo-project/locations/us-east5/publishers/anthropic/models/${MODEL}:streamRawPredict`, {
      method: 'POST',
      headers: { authorization: 'Bearer ya29.forged', 'content-type': 'application/json' },
      body: JSON.stringify({ anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages: [] }),
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as any).error.status).toBe('UNAUTHENTICATED');
  });

  it('refuses a request with model in the body or the Claude API version, as Vertex does', async () => {
    const token = google.issued.at(-1)!;
    const send = (body: unknown) =>
      fetch(`${vertex.url}/projects/demo-project/locations/us-east5/publishers/anthropic/models/${MODEL}:rawPredict`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const withModel = await send({ anthropic_version: 'vertex-2023-10-16', model: MODEL, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(withModel.status).toBe(400);
    const dated = await send({ anthropic_version: '2023-06-01', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(dated.status).toBe(400);
    expect(((await dated.json()) as any).error.message).toContain("anthropic_version: Input should be 'vertex-2023-10-16'");
  });
});
