import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { startFakeGoogle, type FakeGoogle } from '../support/fakeGoogle.js';
import { startFakeVertex, type FakeVertex } from '../support/fakeVertex.js';
import { allObjectText, leaksIn } from '../support/leaks.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const MODEL = 'claude-sonnet-4-5@20250929';
const PROJECT = 'demo-project';
const REGION = 'us-east5';
/** The name google-github-actions/auth gives the file it writes into the workspace. */
const CREDS = 'gha-creds-3f9a1c2b7d4e5f60.json';

describe('provider vertex through the built bundle (end to end)', () => {
  let scenario: Scenario;
  let google: FakeGoogle;
  let vertex: FakeVertex;
  let credsPath: string;

  beforeEach(async () => {
    scenario = await startScenario();
    google = await startFakeGoogle();
    vertex = await startFakeVertex({ google, project: PROJECT, region: REGION, models: [MODEL, 'claude-haiku-4-5@20251001'] });
    credsPath = join(scenario.repo.dir, CREDS);
    // As the auth action writes it (readable by others here, so only the box's own chmod keeps it from the agent's user).
    await writeFile(credsPath, JSON.stringify(google.credentialsFile(), null, 2), { mode: 0o644 });
  });
  afterEach(async () => {
    await Promise.all([vertex.close(), google.close()]);
    await scenario.close();
  });

  function run(inputs: Record<string, string>, env: Record<string, string> = {}) {
    return scenario.run({
      inputs: { provider: 'vertex', anthropic_api_key: '', anthropic_base_url: '', model: MODEL, gcp_region: REGION, ...inputs },
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: credsPath,
        GOOGLE_GHA_CREDS_PATH: credsPath,
        GOOGLE_CLOUD_PROJECT: PROJECT,
        ANTHROPIC_VERTEX_BASE_URL: vertex.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: google.requestToken,
        ...env,
      },
    });
  }

  /** Every secret of the run: the OIDC request token in the file, and every Google access token issued. */
  const secrets = () => [google.requestToken, ...google.issued];

  it('runs to a verified PR on Vertex, with the prompt cache holding and the dollars at Sonnet 4.5 prices', async () => {
    vertex.anthropic.script(reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await run({ prompt: 'Fix slugify', verify: 'node --test' });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2' });
    expect(result.summary).toContain('Ready for review: every check passed.');
    expect(scenario.github.pulls).toHaveLength(1);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    const served = vertex.requests.filter((request) => request.path.endsWith(':streamRawPredict'));
    expect(served).toHaveLength(2);
    for (const request of served) {
      expect(request.path).toBe(`/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/${MODEL}:streamRawPredict`);
      expect(request.status).toBe(200);
      expect(request.body.anthropic_version).toBe('vertex-2023-10-16');
    }
    // The second request reads what the first wrote: the prefix (tools, system) is byte-identical.
    expect(served[0]!.usage!.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(served[1]!.usage!.cache_read_input_tokens).toBeGreaterThanOrEqual(served[0]!.usage!.cache_creation_input_tokens!);
    // $3 input, $3.75 cache write, $0.30 cache read, $15 output per million tokens.
    const dollars = served.reduce((sum, { usage }) => {
      const u = usage!;
      return sum + (u.input_tokens * 3 + (u.cache_creation_input_tokens ?? 0) * 3.75 + (u.cache_read_input_tokens ?? 0) * 0.3 + u.output_tokens * 15) / 1e6;
    }, 0);
    expect(result.outputs.cost_usd).toBe(dollars.toFixed(4));
  });

  it("keeps the credentials file from the agent's tools and its shell, out of the branch, and its secrets out of everything shown", async () => {
    const before = await stat(credsPath);
    vertex.anthropic.script(
      reply([toolUse('bash', { command: `cat ${CREDS}; echo "exit=$?"` })]),
      reply([toolUse(EDITOR, { command: 'view', path: CREDS })]),
      reply([toolUse(EDITOR, { command: 'view', path: '.' })]),
      reply([toolUse('list_files', {})]),
      reply([toolUse('search_code', { pattern: 'external_account' })]),
      reply([toolUse('bash', { command: `cp ${CREDS} copy.json 2>&1; git add -A 2>&1; echo done` })]),
      reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]),
      reply([text(REPORT)]),
    );
    const result = await run({ prompt: 'Fix slugify' });
    expect(result.outputs.status).toBe('completed');

    const results = vertex.anthropic.requests.map((request) => {
      const last = request.body.messages.at(-1).content;
      return Array.isArray(last) && last[0]?.type === 'tool_result' ? toolOutput(last[0]) : '';
    });
    // The box's user cannot read it (the OS says so), and the tools refuse it or leave it out.
    expect(results[1]).toContain('Permission denied');
    expect(results[1]).toContain('exit=1');
    expect(results[2]).toContain(`path "${CREDS}" is a credentials file of the run's own`);
    expect(results[3]).not.toContain(CREDS);
    expect(results[3]).toContain('src/');
    expect(results[4]).not.toContain(CREDS);
    expect(results[4]).toContain('src/slugify.js');
    expect(results[5]).not.toContain(CREDS);
    expect(results[6]).toContain('Permission denied');

    const tree = await scenario.repo.git(['--git-dir', scenario.repo.origin, 'ls-tree', '-r', '--name-only', result.outputs.branch!]);
    expect(tree).toContain('src/slugify.js');
    expect(tree).not.toContain('gha-creds');
    expect(tree).not.toContain('copy.json');
    // Left out because publication never lists it, not caught later as a secret-bearing change the PR would name.
    expect(result.summary).not.toContain('contained a secret value');
    expect(scenario.github.pulls[0].body).not.toContain('contained a secret value');
    // The file is back as the auth step left it, for the steps after this one.
    const after = await stat(credsPath);
    expect([after.uid, after.mode & 0o777]).toEqual([before.uid, 0o644]);
    expect(JSON.parse(await readFile(credsPath, 'utf8')).type).toBe('external_account');

    const transcript = await readFile(result.outputs.transcript_path!, 'utf8');
    const masked = result.stdout.replace(/::add-mask::.*\n/g, '');
    const shown = [
      masked,
      result.stderr,
      result.summary,
      JSON.stringify(result.outputs),
      transcript,
      JSON.stringify(scenario.github.requests.map((r) => r.body)),
    ];
    expect(secrets().length).toBeGreaterThan(1);
    expect(leaksIn(shown.join('\n'), secrets())).toEqual([]);
    expect(leaksIn(await allObjectText(scenario.repo.origin), secrets())).toEqual([]);
    expect(result.stdout).toContain(`::add-mask::${google.requestToken}`);
  });

  it('stops at max_cost_usd on Vertex prices', async () => {
    vertex.anthropic.setDefault(() =>
      reply([toolUse('list_files', {})], { usage: { input_tokens: 10_000, output_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } }),
    );
    const result = await run({ prompt: 'Explore', max_cost_usd: '0.2', max_output_tokens: '2000' });
    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'cost' });
    expect(Number(result.outputs.cost_usd)).toBeLessThanOrEqual(0.2);
    expect(result.summary).toContain('max_cost_usd reached');
  });

  it('fails before any model request when the project or the credentials are missing, saying what to set', async () => {
    const noProject = await run({ prompt: 'Fix slugify' }, { GOOGLE_CLOUD_PROJECT: '' });
    expect(noProject.exitCode).not.toBe(0);
    expect(noProject.summary).toContain('provider vertex needs a Google Cloud project: set the input gcp_project');
    const noCredentials = await run({ prompt: 'Fix slugify' }, { GOOGLE_APPLICATION_CREDENTIALS: '', GOOGLE_GHA_CREDS_PATH: '' });
    expect(noCredentials.exitCode).not.toBe(0);
    expect(noCredentials.summary).toContain('provider vertex needs Google credentials');
    expect(noCredentials.summary).toContain('permissions: id-token: write');
    const bedrockId = await run({ prompt: 'Fix slugify', model: 'anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(bedrockId.summary).toContain('model must be a Vertex AI model id such as claude-sonnet-4-5@20250929');
    expect(vertex.requests).toHaveLength(0);
  });

  it('mode doctor proves the credentials and the model on Vertex without a billed request', async () => {
    const result = await run({ mode: 'doctor' });
    const items = (JSON.parse(result.outputs.doctor!) as { items: Array<{ id: string; status: string }> }).items;
    expect(Object.fromEntries(items.map((item) => [item.id, item.status]))).toMatchObject({ credentials: 'pass', model: 'pass' });
    expect(items.filter((item) => item.status === 'fail')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary).toContain('The vertex credentials work');
    expect(vertex.requests.map((request) => request.path)).toEqual([
      `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/count-tokens:rawPredict`,
    ]);
    expect(leaksIn([result.stdout.replace(/::add-mask::.*\n/g, ''), result.summary, JSON.stringify(result.outputs)].join('\n'), secrets())).toEqual([]);
  });

  it('mode doctor asks count-tokens about fallback_model with the same token: served passes, not served fails naming what to enable', async () => {
    const served = await run({ mode: 'doctor', fallback_model: 'claude-haiku-4-5@20251001' });
    const items = (output: string) => (JSON.parse(output) as { items: Array<{ id: string; status: string }> }).items;
    expect(served.exitCode).toBe(0);
    expect(items(served.outputs.doctor!).slice(0, 3)).toEqual([
      { id: 'credentials', status: 'pass' },
      { id: 'model', status: 'pass' },
      { id: 'fallback-model', status: 'pass' },
    ]);
    expect(served.summary).toContain('| ✅ pass | The fallback model claude-haiku-4-5@20251001 is available on vertex |');
    expect(vertex.requests.map((request) => request.path)).toEqual([
      `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/count-tokens:rawPredict`,
      `/v1/projects/${PROJECT}/locations/${REGION}/publishers/anthropic/models/count-tokens:rawPredict`,
    ]);
    expect(vertex.requests.map((request) => request.body.model).sort()).toEqual(['claude-haiku-4-5@20251001', MODEL]);

    vertex.setModels([MODEL]);
    const missing = await run({ mode: 'doctor', fallback_model: 'claude-haiku-4-5@20251001' });
    expect(missing.exitCode).not.toBe(0);
    expect(Object.fromEntries(items(missing.outputs.doctor!).map((item) => [item.id, item.status]))).toMatchObject({
      credentials: 'pass',
      model: 'pass',
      'fallback-model': 'fail',
    });
    expect(missing.summary).toContain('404 NOT_FOUND: Publisher Model');
    expect(missing.summary).toContain(`Enable claude-haiku-4-5@20251001 for project ${PROJECT} in Vertex AI Model Garden`);
    expect(vertex.anthropic.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(0);
    expect(leaksIn([missing.stdout.replace(/::add-mask::.*\n/g, ''), missing.summary, JSON.stringify(missing.outputs)].join('\n'), secrets())).toEqual([]);
  });

  it('puts the file back when the agent moves it away, and publishes neither the moved file nor a stand-in', async () => {
    const original = await readFile(credsPath, 'utf8');
    vertex.anthropic.script(
      reply([toolUse('bash', { command: `mv ${CREDS} notes.txt && echo '{"type":"planted"}' > ${CREDS} && echo moved` })]),
      reply([toolUse(EDITOR, { command: 'view', path: 'notes.txt' })]),
      reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]),
      reply([text(REPORT)]),
    );
    const result = await run({ prompt: 'Fix slugify' });
    expect(result.outputs.status).toBe('completed');
    const outputs = vertex.anthropic.requests.map((request) => JSON.stringify(request.body.messages.at(-1)));
    expect(outputs[1]).toContain('moved');
    // The editor runs as the action, which could read it: it knows the file by identity, not by name.
    expect(outputs[2]).toContain("is a credentials file of the run's own (under another name)");
    expect(outputs.join('\n')).not.toContain(google.requestToken);
    // Back as the auth step wrote it, for the steps after this one.
    expect(await readFile(credsPath, 'utf8')).toBe(original);
    const tree = await scenario.repo.git(['--git-dir', scenario.repo.origin, 'ls-tree', '-r', '--name-only', result.outputs.branch!]);
    expect(tree).not.toContain('gha-creds');
    // The moved file carries the request token: kept out as a secret-bearing change, named without its content.
    expect(tree).not.toContain('notes.txt');
    expect(result.summary).toContain('a change to notes.txt contained a secret value');
    expect(leaksIn(await allObjectText(scenario.repo.origin), secrets())).toEqual([]);
  });

  it('without the box (isolation: none) the guard rails and the redactor still hold, though the shell can read the file', async () => {
    vertex.anthropic.script(
      reply([toolUse('bash', { command: `cat ${CREDS}` })]),
      reply([toolUse(EDITOR, { command: 'view', path: CREDS })]),
      reply([text('Fixing.'), toolUse(EDITOR, SLUGIFY_FIX)]),
      reply([text(REPORT)]),
    );
    const result = await run({ prompt: 'Fix slugify', isolation: 'none' });
    expect(result.outputs.status).toBe('completed');
    const outputs = vertex.anthropic.requests.map((request) => JSON.stringify(request.body.messages.at(-1)));
    // Same user: what SECURITY.md says is not enforced without the box.
    expect(outputs[1]).toContain('external_account');
    expect(outputs[2]).toContain("is a credentials file of the run's own");
    const tree = await scenario.repo.git(['--git-dir', scenario.repo.origin, 'ls-tree', '-r', '--name-only', result.outputs.branch!]);
    expect(tree).not.toContain('gha-creds');
    const transcript = await readFile(result.outputs.transcript_path!, 'utf8');
    const shown = [result.stdout.replace(/::add-mask::.*\n/g, ''), result.summary, JSON.stringify(result.outputs), transcript].join('\n');
    expect(leaksIn(shown, secrets())).toEqual([]);
    expect(leaksIn(await allObjectText(scenario.repo.origin), secrets())).toEqual([]);
  });
});
