import { createOctokit } from '../../src/github/octokit.js';
import { branchRules } from '../../src/github/branchRules.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

describe('branchRules (the real Octokit against the fake rules endpoint)', () => {
  let github: FakeGitHub;
  const read = async (branch: string) =>
    branchRules({ octokit: await createOctokit({ token: 'ghs_test', baseUrl: github.url }), owner: 'octo', repo: 'demo', branch });

  beforeEach(async () => {
    github = await startFakeGitHub({ owner: 'octo', repo: 'demo' });
  });
  afterEach(() => github.close());

  it('reads no rules as no requirements', async () => {
    expect(await read('nightshift/fix')).toEqual({ branch: 'nightshift/fix', requiresSignedCommits: false, requiredChecks: [], requiresPullRequest: false });
  });

  it('gathers signatures, checks and pull requests from every ruleset that targets the branch', async () => {
    github.addRuleset({ branches: ['~ALL'], rules: [{ type: 'required_signatures' }] });
    github.addRuleset({
      branches: ['~DEFAULT_BRANCH'],
      rules: [
        { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
        { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'test' }, { context: 'lint', integration_id: 15368 }] } },
      ],
    });
    expect(await read('main')).toEqual({ branch: 'main', requiresSignedCommits: true, requiredChecks: ['test', 'lint'], requiresPullRequest: true });
    expect(await read('nightshift/fix')).toMatchObject({ requiresSignedCommits: true, requiredChecks: [], requiresPullRequest: false });
  });

  it('says when the rules cannot be read instead of calling that "no rules"', async () => {
    github.failNext('GET', /\/rules\/branches\//, { status: 403, body: { message: 'Resource not accessible by integration' } });
    const rules = await read('main');
    expect(rules.requiresSignedCommits).toBe(false);
    expect(rules.unreadable).toMatch(/Resource not accessible by integration/);
  });

  it('reads every page of the rules, and matches ruleset patterns', async () => {
    for (let index = 0; index < 120; index += 1)
      github.addRuleset({
        branches: ['nightshift/**'],
        rules: [{ type: 'required_status_checks', parameters: { required_status_checks: [{ context: `c${index}` }] } }],
      });
    expect((await read('nightshift/a/b')).requiredChecks).toHaveLength(120);
    expect((await read('main')).requiredChecks).toEqual([]);
  });
});
