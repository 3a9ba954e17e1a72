import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/readConfig.js';
import { platformItems } from '../../src/doctor/platformItems.js';
import { probePlatform } from '../../src/doctor/platformProbe.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fakeGoogle.js';
import { startFakeVertex, type FakeVertex } from '../support/fakeVertex.js';

const MODEL = 'claude-sonnet-4-5@20250929';

describe('the doctor on Vertex: a token, then count-tokens for the model (nothing billed)', () => {
  let dir: string;
  let google: FakeGoogle;
  let vertex: FakeVertex;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vertex-probe-'));
    google = await startFakeGoogle();
    vertex = await startFakeVertex({ google, project: 'demo-project', region: 'global', models: [MODEL] });
    const path = join(dir, 'gha-creds-1.json');
    await writeFile(path, JSON.stringify(google.credentialsFile()));
    env = { GOOGLE_APPLICATION_CREDENTIALS: path, GOOGLE_CLOUD_PROJECT: 'demo-project', ANTHROPIC_VERTEX_BASE_URL: vertex.url };
  });
  afterEach(async () => {
    await Promise.all([vertex.close(), google.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  const probe = (model: string, extra: Record<string, string> = {}) =>
    probePlatform({ config: readConfig({}, { provider: 'vertex', model, mode: 'doctor' }), env: { ...env, ...extra }, timeoutMs: 10_000 });

  it('passes both items when the token is issued and the model counts, and sends no message request', async () => {
    const facts = await probe(MODEL);
    const items = platformItems(facts, MODEL, true);
    expect(items.map((item) => [item.status, item.detail])).toEqual([
      ['pass', 'Google issued an access token for nightshift@demo-project.iam.gserviceaccount.com through Workload Identity Federation'],
      ['pass', `Vertex AI counted tokens for ${MODEL} in demo-project/global (8 input tokens for a one-word message), which bills nothing`],
    ]);
    expect(vertex.requests.map((request) => request.path)).toEqual([
      '/v1/projects/demo-project/locations/global/publishers/anthropic/models/count-tokens:rawPredict',
    ]);
    expect(vertex.anthropic.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(0);
  });

  it("fails the credentials item with STS's reason and the auth step's fix; the model is then unknown", async () => {
    google.refuseExchange('The given credential is rejected by the attribute condition.');
    const items = platformItems(await probe(MODEL), MODEL, true);
    expect(items[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('permissions: id-token: write') });
    expect(items[0]!.detail).toContain('rejected by the attribute condition');
    expect(items[1]!.status).toBe('unknown');
  });

  it("fails the model item with Google's NOT_FOUND for a model the project is not served, and says what to enable", async () => {
    const items = platformItems(await probe('claude-opus-4-1@20250805'), 'claude-opus-4-1@20250805', true);
    expect(items[0]!.status).toBe('pass');
    expect(items[1]).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Enable claude-opus-4-1@20250805 for project demo-project in Vertex AI Model Garden'),
    });
    expect(items[1]!.detail).toContain(
      'NOT_FOUND: Publisher Model `projects/demo-project/locations/global/publishers/anthropic/models/claude-opus-4-1@20250805` not found',
    );
  });

  it('says what is missing when there are no credentials, as a run would', async () => {
    const facts = await probe(MODEL, { GOOGLE_APPLICATION_CREDENTIALS: '' });
    expect(facts.credentials).toMatchObject({ ok: false, message: expect.stringContaining('provider vertex needs Google credentials') });
  });

  it('asks count-tokens about fallback_model with the same token: served passes, not served fails naming what to enable', async () => {
    const fallbackModel = 'claude-haiku-4-5@20251001';
    vertex.setModels([MODEL, fallbackModel]);
    const served = await probePlatform({ config: readConfig({}, { provider: 'vertex', model: MODEL, mode: 'doctor' }), env, fallbackModel, timeoutMs: 10_000 });
    const items = platformItems(served, MODEL, true, { name: fallbackModel });
    expect(items.map((item) => [item.id, item.status])).toEqual([
      ['credentials', 'pass'],
      ['model', 'pass'],
      ['fallback-model', 'pass'],
    ]);
    expect(items[2]!.detail).toContain(`Vertex AI counted tokens for ${fallbackModel} in demo-project/global`);
    // One token for both questions: Google's STS was asked once.
    expect(google.requests.filter((request) => request.path === '/sts/v1/token')).toHaveLength(1);
    expect(vertex.requests).toHaveLength(2);

    vertex.setModels([MODEL]);
    const missing = await probePlatform({
      config: readConfig({}, { provider: 'vertex', model: MODEL, mode: 'doctor' }),
      env,
      fallbackModel,
      timeoutMs: 10_000,
    });
    expect(platformItems(missing, MODEL, true, { name: fallbackModel })[2]).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(
        `NOT_FOUND: Publisher Model \`projects/demo-project/locations/global/publishers/anthropic/models/${fallbackModel}\` not found`,
      ),
      fix: expect.stringContaining(`Enable ${fallbackModel} for project demo-project`),
    });
  });
});
