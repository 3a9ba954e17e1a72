import { doctorChecklist } from '../../src/doctor/checklist.js';
import type { DoctorFacts, GitHubFacts } from '../../src/doctor/facts.js';
import { tokenKind } from '../../src/github/tokenKind.js';
import { workBranchRefusals } from '../../src/doctor/githubItems.js';
import type { RunTraits } from '../../src/doctor/traits.js';
import type { BranchRules } from '../../src/github/branchRules.js';
import type { DoctorItem } from '../../src/records/doctor.js';

const NO_RULES = (branch: string): BranchRules => ({ branch, requiresSignedCommits: false, requiredChecks: [], requiresPullRequest: false });
const TRAITS: RunTraits = { usesAppToken: false, signsCommits: false };

function github(over: Partial<GitHubFacts> = {}): GitHubFacts {
  return {
    tokenKind: 'installation',
    repository: { ok: true, value: { private: false, defaultBranch: 'main' } },
    workflow: { ok: true, value: { canApprovePullRequests: true, defaultPermissions: 'write' } },
    baseRules: NO_RULES('main'),
    workRules: NO_RULES('nightshift/doctor-check'),
    branchPrefix: 'nightshift/',
    ...over,
  };
}

function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    apiKeySet: true,
    models: { ok: true, value: ['claude-opus-5-1', 'claude-sonnet-5-5'] },
    model: { ok: true, value: 'claude-sonnet-5-5' },
    modelName: 'claude-sonnet-5-5',
    priceKnown: true,
    github: github(),
    fork: { repositoryIsFork: false, repository: 'octo/demo', allowForks: false },
    verify: ['npm test'],
    ...over,
  };
}

const statuses = (items: DoctorItem[]) => Object.fromEntries(items.map((item) => [item.id, item.status]));
const item = (items: DoctorItem[], id: string) => items.find((each) => each.id === id)!;

describe('the doctor checklist (facts → items)', () => {
  it('passes a healthy setup, and says what it cannot know about the workflow token', () => {
    expect(statuses(doctorChecklist(facts(), TRAITS))).toEqual({
      'api-key': 'pass',
      model: 'pass',
      'token-permissions': 'unknown',
      'actions-pull-requests': 'pass',
      'base-branch-rules': 'pass',
      'work-branch-rules': 'pass',
      ci: 'warn',
      fork: 'pass',
      verify: 'pass',
    });
    const permissions = item(doctorChecklist(facts(), TRAITS), 'token-permissions');
    expect(permissions.fix).toMatch(/contents: write, pull-requests: write, issues: write/);
  });

  it('fails a key the API refuses, and cannot then tell about the model', () => {
    const items = doctorChecklist(
      facts({ models: { ok: false, status: 401, message: 'authentication_error: invalid x-api-key' }, model: { ok: false, status: 401, message: 'x' } }),
      TRAITS,
    );
    expect(item(items, 'api-key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('401 authentication_error: invalid x-api-key') });
    expect(item(items, 'api-key').fix).toMatch(/anthropic_api_key/);
    expect(item(items, 'model').status).toBe('unknown');
  });

  it('fails an empty key without asking', () => {
    expect(statuses(doctorChecklist(facts({ apiKeySet: false, models: undefined, model: undefined }), TRAITS))).toMatchObject({
      'api-key': 'fail',
      model: 'unknown',
    });
  });

  it('cannot tell about the key when the base URL serves no Models API', () => {
    const items = doctorChecklist(
      facts({ models: { ok: false, status: 404, message: 'Not Found' }, model: { ok: false, status: 404, message: 'Not Found' } }),
      TRAITS,
    );
    expect(statuses(items)).toMatchObject({ 'api-key': 'unknown', model: 'unknown' });
  });

  it('fails a model the key cannot use, listing some it can', () => {
    const missing = item(
      doctorChecklist(facts({ modelName: 'claude-nope-1', model: { ok: false, status: 404, message: 'model: claude-nope-1' } }), TRAITS),
      'model',
    );
    expect(missing).toMatchObject({ status: 'fail', detail: expect.stringContaining('claude-opus-5-1, claude-sonnet-5-5') });
  });

  it('fails a model without a price before asking anything else', () => {
    expect(item(doctorChecklist(facts({ priceKnown: false }), TRAITS), 'model')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('model_prices'),
    });
  });

  it('reads the Actions PR setting: off fails, unreadable cannot tell, an app token does not need it', () => {
    const off = github({ workflow: { ok: true, value: { canApprovePullRequests: false, defaultPermissions: 'read' } } });
    expect(item(doctorChecklist(facts({ github: off }), TRAITS), 'actions-pull-requests')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('Allow GitHub Actions to create and approve pull requests'),
    });
    const hidden = github({ workflow: { ok: false, status: 403, message: 'Resource not accessible by integration' } });
    expect(item(doctorChecklist(facts({ github: hidden }), TRAITS), 'actions-pull-requests')).toMatchObject({
      status: 'unknown',
      fix: expect.stringContaining('Settings → Actions → General'),
    });
    expect(item(doctorChecklist(facts({ github: off }), { ...TRAITS, usesAppToken: true }), 'actions-pull-requests').status).toBe('pass');
    // The read-only default is worth saying beside the permissions the job must ask for.
    expect(item(doctorChecklist(facts({ github: off }), TRAITS), 'token-permissions').detail).toMatch(/read-only/);
  });

  it('judges a classic token by its scopes and its user by the push permission', () => {
    const classic = (scopes: string[], isPrivate = false) =>
      github({ tokenKind: 'classic', repository: { ok: true, value: { scopes, canPush: true, private: isPrivate, defaultBranch: 'main' } } });
    expect(item(doctorChecklist(facts({ github: classic(['repo', 'workflow']) }), TRAITS), 'token-permissions').status).toBe('pass');
    expect(item(doctorChecklist(facts({ github: classic(['public_repo']) }), TRAITS), 'token-permissions').status).toBe('pass');
    expect(item(doctorChecklist(facts({ github: classic(['public_repo'], true) }), TRAITS), 'token-permissions').status).toBe('fail');
    const reader = github({ tokenKind: 'fine-grained', repository: { ok: true, value: { canPush: false, private: true, defaultBranch: 'main' } } });
    expect(item(doctorChecklist(facts({ github: reader }), TRAITS), 'token-permissions').status).toBe('fail');
    // A personal token's events start CI, and the Actions setting is not its business.
    expect(statuses(doctorChecklist(facts({ github: classic(['repo']) }), TRAITS))).toMatchObject({ ci: 'pass', 'actions-pull-requests': 'pass' });
  });

  it('fails a work branch whose rules refuse the push, each rule said, unless the run satisfies it', () => {
    const work: BranchRules = { branch: 'nightshift/doctor-check', requiresSignedCommits: true, requiredChecks: ['test'], requiresPullRequest: true };
    const failed = item(doctorChecklist(facts({ github: github({ workRules: work }) }), TRAITS), 'work-branch-rules');
    expect(failed.status).toBe('fail');
    expect(failed.detail).toMatch(/signed commits.*pull request.*checks test/);
    expect(failed.fix).toMatch(/nightshift\/\*\*/);
    expect(workBranchRefusals({ ...work, requiredChecks: [], requiresPullRequest: false }, { ...TRAITS, signsCommits: true })).toEqual([]);
  });

  it('warns about base-branch rules the run leaves to people, and passes the ones it meets', () => {
    const baseRules: BranchRules = { branch: 'main', requiresSignedCommits: true, requiredChecks: ['test'], requiresPullRequest: true };
    const warned = item(doctorChecklist(facts({ github: github({ baseRules }) }), TRAITS), 'base-branch-rules');
    expect(warned.status).toBe('warn');
    expect(warned.detail).toMatch(/pull request.*signed commits.*checks test.*will not report/);
    expect(warned.fix).toMatch(/Squash and merge.*GitHub App token/);
    const signed = item(doctorChecklist(facts({ github: github({ baseRules }) }), { usesAppToken: true, signsCommits: true }), 'base-branch-rules');
    expect(signed.status).toBe('pass');
  });

  it('cannot tell about rules it could not read', () => {
    const hidden = { ...NO_RULES('main'), unreadable: '404 Not Found' };
    expect(item(doctorChecklist(facts({ github: github({ baseRules: hidden, workRules: hidden }) }), TRAITS), 'base-branch-rules').status).toBe('unknown');
  });

  it('fails a pull request from a fork unless forks are allowed, and warns in a forked repository', () => {
    const fromFork = { repositoryIsFork: false, repository: 'octo/demo', headRepository: 'mallory/demo', allowForks: false };
    expect(item(doctorChecklist(facts({ fork: fromFork }), TRAITS), 'fork').status).toBe('fail');
    expect(item(doctorChecklist(facts({ fork: { ...fromFork, allowForks: true } }), TRAITS), 'fork').status).toBe('warn');
    expect(item(doctorChecklist(facts({ fork: { repositoryIsFork: true, repository: 'me/demo', allowForks: false } }), TRAITS), 'fork').status).toBe('warn');
  });

  it('warns without verify commands, and fails everything GitHub without a token', () => {
    expect(item(doctorChecklist(facts({ verify: [] }), TRAITS), 'verify')).toMatchObject({ status: 'warn', fix: expect.stringContaining('verify:') });
    expect(statuses(doctorChecklist(facts({ github: undefined }), TRAITS))).toMatchObject({
      'token-permissions': 'fail',
      ci: 'unknown',
      'work-branch-rules': 'unknown',
    });
  });

  it('reads the token kind from its documented prefix', () => {
    expect(['ghs_x', 'ghp_x', 'github_pat_x', 'gho_x', 'ghu_x', 'x', ''].map(tokenKind)).toEqual([
      'installation',
      'classic',
      'fine-grained',
      'oauth',
      'user-to-server',
      'other',
      'none',
    ]);
  });
});
