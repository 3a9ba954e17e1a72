import { generateKeyPairSync } from 'node:crypto';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const KEY = 'sk-ant-test-key-0123456789';

interface DoctorOutput {
  pass: number;
  warn: number;
  fail: number;
  unknown: number;
  items: Array<{ id: string; status: string }>;
}

describe('mode: doctor and the preflight of a run (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  const doctor = (
    inputs: Record<string, string> = {},
    event: { name: string; payload: unknown } = { name: 'workflow_dispatch', payload: eventFixture('workflow_dispatch') },
  ) => scenario.run({ eventName: event.name, event: event.payload, inputs: { mode: 'doctor', verify: 'node --test', ...inputs } });
  const statuses = (output: string) => Object.fromEntries((JSON.parse(output) as DoctorOutput).items.map((item) => [item.id, item.status]));
  const messageRequests = () => scenario.model.requests.filter((request) => request.path.startsWith('/v1/messages'));

  it('passes a healthy setup: exit 0, the checklist in the summary, and no model request', async () => {
    scenario.github.setWorkflowSettings({ readable: true, canApprove: true, defaultPermissions: 'write' });
    const result = await doctor();

    expect(result.exitCode).toBe(0);
    expect(result.outputs.status).toBe('completed');
    expect(statuses(result.outputs.doctor!)).toEqual({
      'api-key': 'pass',
      model: 'pass',
      // The workflow token's permissions are not readable by any API; its events start no CI.
      'token-permissions': 'unknown',
      'actions-pull-requests': 'pass',
      'base-branch-rules': 'pass',
      'work-branch-rules': 'pass',
      ci: 'warn',
      fork: 'pass',
      verify: 'pass',
    });
    expect(JSON.parse(result.outputs.doctor!)).toMatchObject({ pass: 7, warn: 1, fail: 0, unknown: 1 });
    expect(result.summary).toContain('## Nightshift doctor: ✅ a run can go ahead (see the warnings)');
    expect(result.summary).toContain('| ✅ pass | The Anthropic API key is valid | The key lists 3 models (GET /v1/models). |');
    expect(result.summary).toContain('| ✅ pass | The model claude-sonnet-5-5 is available |');
    expect(result.summary).toContain('permissions: contents: write, pull-requests: write, issues: write');
    expect(result.summary).toContain('No model request was made and nothing was changed.');
    expect(scenario.model.requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'GET /v1/models',
      'GET /v1/models/claude-sonnet-5-5',
    ]);
    expect(messageRequests()).toHaveLength(0);
    // Nothing written on GitHub either.
    expect(scenario.github.requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('fails a key the API refuses, with the fix, exit non-zero, and never calls the Messages API', async () => {
    scenario.model.acceptOnly(['sk-ant-some-other-key']);
    const result = await doctor();

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(statuses(result.outputs.doctor!)).toMatchObject({ 'api-key': 'fail', model: 'unknown' });
    expect(result.summary).toContain('## Nightshift doctor: ❌ a run would fail here');
    expect(result.summary).toContain('The API refused the key: 401 authentication_error: invalid x-api-key.');
    expect(result.summary).toContain('store it as the repository secret the workflow passes as anthropic_api_key');
    expect(result.summary).not.toContain(KEY);
    expect(scenario.model.requests.length).toBeGreaterThan(0);
    expect(messageRequests()).toHaveLength(0);
  });

  it('fails a model the key cannot use, naming the ones it can', async () => {
    scenario.model.setModels(['claude-opus-5-1', 'claude-haiku-5-0']);
    const result = await doctor();

    expect(result.exitCode).not.toBe(0);
    expect(statuses(result.outputs.doctor!)).toMatchObject({ 'api-key': 'pass', model: 'fail' });
    expect(result.summary).toContain("The key's models do not include claude-sonnet-5-5 (claude-opus-5-1, claude-haiku-5-0).");
  });

  it('checks fallback_model right after model: one the API serves passes, asked as the model is, and still no model request', async () => {
    scenario.github.setWorkflowSettings({ readable: true, canApprove: true, defaultPermissions: 'write' });
    const result = await doctor({ fallback_model: 'claude-haiku-5-0' });

    expect(result.exitCode).toBe(0);
    const items = (JSON.parse(result.outputs.doctor!) as DoctorOutput).items;
    expect(items.slice(0, 3)).toEqual([
      { id: 'api-key', status: 'pass' },
      { id: 'model', status: 'pass' },
      { id: 'fallback-model', status: 'pass' },
    ]);
    expect(JSON.parse(result.outputs.doctor!)).toMatchObject({ pass: 8, fail: 0 });
    expect(result.summary).toContain(
      '| ✅ pass | The fallback model claude-haiku-5-0 is available | GET /v1/models/claude-haiku-5-0 found claude-haiku-5-0. |',
    );
    expect(scenario.model.requests.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'GET /v1/models',
      'GET /v1/models/claude-haiku-5-0',
      'GET /v1/models/claude-sonnet-5-5',
    ]);
    expect(messageRequests()).toHaveLength(0);
  });

  it('fails a fallback_model the key cannot use (404), with the fix; and one the run would refuse, without asking the API about it', async () => {
    scenario.model.setModels(['claude-opus-5-1', 'claude-sonnet-5-5']);
    const missing = await doctor({ fallback_model: 'claude-haiku-5-0' });
    expect(missing.exitCode).not.toBe(0);
    expect(missing.outputs.status).toBe('failed');
    expect(statuses(missing.outputs.doctor!)).toMatchObject({ 'api-key': 'pass', model: 'pass', 'fallback-model': 'fail' });
    expect(missing.summary).toContain("The key's models do not include claude-haiku-5-0 (claude-opus-5-1, claude-sonnet-5-5).");
    expect(missing.summary).toContain('Set fallback_model to a model id the key may use (GET /v1/models lists them), or leave it empty.');

    // Another kind of tools: a run stops on it before its first request, so the doctor fails it in the same words.
    const before = scenario.model.requests.length;
    const refused = await doctor({ fallback_model: 'claude-3-5-haiku-20241022' });
    expect(refused.exitCode).not.toBe(0);
    expect(statuses(refused.outputs.doctor!)['fallback-model']).toBe('fail');
    expect(refused.summary).toContain('fallback_model must take the same kind of tools as model on provider anthropic, got claude-3-5-haiku-20241022');
    expect(refused.summary).toContain('Choose a Claude 4 or later model for both. |');
    expect(
      scenario.model.requests
        .slice(before)
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/v1/models', '/v1/models/claude-sonnet-5-5']);
    expect(messageRequests()).toHaveLength(0);
  });

  it('fails when Actions may not open pull requests, and cannot tell when the setting is unreadable', async () => {
    scenario.github.setWorkflowSettings({ readable: true, canApprove: false });
    const off = await doctor();
    expect(off.exitCode).not.toBe(0);
    expect(statuses(off.outputs.doctor!)['actions-pull-requests']).toBe('fail');
    expect(off.summary).toContain('Allow GitHub Actions to create and approve pull requests');

    // The workflow token cannot read it (403): could not tell, with where to look, and the run may go ahead.
    scenario.github.setWorkflowSettings({ readable: false });
    const hidden = await doctor();
    expect(hidden.exitCode).toBe(0);
    expect(statuses(hidden.outputs.doctor!)['actions-pull-requests']).toBe('unknown');
    expect(hidden.summary).toContain('| ❔ could not tell | GitHub Actions may open pull requests here |');
    expect(hidden.summary).toContain('Check it by hand: Settings → Actions → General');
  });

  it('reads the rulesets: signed commits on the work branches fail, required checks on the base warn', async () => {
    scenario.github.addRuleset({ branches: ['nightshift/**'], rules: [{ type: 'required_signatures' }] });
    scenario.github.addRuleset({
      branches: ['~DEFAULT_BRANCH'],
      rules: [{ type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'test' }] } }],
    });
    const result = await doctor({ sign_commits: 'false' });

    expect(result.exitCode).not.toBe(0);
    expect(statuses(result.outputs.doctor!)).toMatchObject({ 'work-branch-rules': 'fail', 'base-branch-rules': 'warn' });
    expect(result.summary).toContain(
      "a ruleset requires signed commits on nightshift/doctor-check, and sign_commits is false, so the run's commits are not signed",
    );
    expect(result.summary).toContain('leave the work branches (nightshift/**) out of the ruleset');
    expect(result.summary).toContain("The checks test are required, and the workflow token's pull request starts no workflow, so they will not report.");
  });

  it('passes signed-commit rules with sign_commits left at auto, and the run then commits Verified through the API', async () => {
    scenario.github.addRuleset({ branches: ['nightshift/**'], rules: [{ type: 'required_signatures' }] });
    const checked = await doctor();
    expect(statuses(checked.outputs.doctor!)['work-branch-rules']).toBe('pass');
    expect(checked.summary).toContain("Signed commits are required: the run commits through GitHub's API, which signs them");

    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });
    expect(result.outputs.status).toBe('completed');
    expect(scenario.github.commits.filter((commit) => commit.branch === 'nightshift/fix-slugify-4242' && commit.verified)).toHaveLength(1);
  });

  it('counts an app token as starting CI and as not needing the Actions pull-request setting', async () => {
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const result = await doctor({ app_id: '12345', app_private_key: privateKey });
    expect(statuses(result.outputs.doctor!)).toMatchObject({ ci: 'pass' });
    expect(result.summary).toContain("An app token's events start workflows.");
  });

  it('fails on a pull request from a fork', async () => {
    const result = await doctor({}, { name: 'pull_request_review_comment', payload: eventFixture('pull_request_review_comment.fork') });
    expect(result.exitCode).not.toBe(0);
    expect(statuses(result.outputs.doctor!).fork).toBe('fail');
    expect(result.summary).toContain('The pull request comes from the fork mallory/demo');
  });

  it('stops a run whose work-branch rules refuse the push before its first model request, with the reason and fix', async () => {
    scenario.github.addRuleset({ branches: ['nightshift/**'], rules: [{ type: 'required_signatures' }] });
    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test', sign_commits: 'false' } });

    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(scenario.model.requests).toHaveLength(0);
    expect(result.summary).toContain('stopped before any model request: the push of nightshift/fix-slugify-4242 would be refused');
    expect(result.summary).toContain('a ruleset requires signed commits on nightshift/fix-slugify-4242, and sign_commits is false');
    expect(result.summary).toContain('Settings → Rules → Rulesets');
    expect(await scenario.repo.listBranches()).not.toContain('nightshift/fix-slugify-4242');
  });

  it('says at once when Actions may not open pull requests, and still does the work', async () => {
    scenario.github.setWorkflowSettings({ readable: true, canApprove: false });
    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });

    expect(result.outputs.status).toBe('completed');
    const notice = 'GitHub Actions may not open pull requests in this repository';
    // Before the first step, not after the work; and in the summary.
    expect(result.stdout.indexOf(notice)).toBeGreaterThan(-1);
    expect(result.stdout.indexOf(notice)).toBeLessThan(result.stdout.indexOf('step 1/'));
    expect(result.summary).toContain(notice);
  });

  it('goes on after 1.5 s when GitHub is slow to say what the rules are ("could not tell")', async () => {
    let release = () => undefined as void;
    const held = scenario.github.holdNext('GET', /\/rules\/branches\//, new Promise<void>((resolve) => (release = resolve)));
    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    try {
      const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });
      expect(result.outputs.status).toBe('completed');
      expect(result.stdout).toContain('preflight could not tell: GitHub did not answer within 1500 ms');
      // The model was asked while the rules request was still held.
      expect(held.releasedAt).toBeUndefined();
      expect(scenario.model.requests.length).toBeGreaterThan(0);
    } finally {
      release();
    }
  });

  it('asks nothing of GitHub for an event that ends skipped', async () => {
    const result = await scenario.run({ eventName: 'issue_comment', event: eventFixture('issue_comment.edited') });
    expect(result.outputs.status).toBe('skipped');
    expect(scenario.github.requests.filter((request) => /rules\/branches|actions\/permissions/.test(request.path))).toEqual([]);
  });
});
