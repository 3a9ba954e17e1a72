import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario, labeledIssueEvent } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const ISSUE = { number: 3, title: 'Fix slugify', body: 'Please fix slugify.' };
const issueEvent = labeledIssueEvent(ISSUE);

async function until(condition: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('faults, cancellation and fences (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice' });
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('stops on SIGTERM mid-run, then commits and pushes what changed, marked cancelled', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), { hang: true });
    let pid = 0;
    const running = scenario.run({ eventName: 'issues', event: issueEvent, onSpawn: (child) => (pid = child) });
    await until(() => scenario.model.requests.length === 2);
    process.kill(pid, 'SIGTERM');
    const result = await running;

    expect(result.outputs.status).toBe('cancelled');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SIGTERM received; stopping at the next safe point and saving the work.');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain('**🛑 cancelled** — Draft: the run was cancelled.');
    expect(result.summary).toContain('🛑 cancelled');
  });

  it('rides out overloaded and rate-limited model answers', async () => {
    scenario.model.script(
      { status: 529, headers: { 'retry-after': '0' } },
      { status: 429, headers: { 'retry-after': '0' } },
      reply([toolUse(EDITOR, SLUGIFY_FIX)]),
      { status: 500, headers: { 'retry-after': '0' } },
      reply([text(REPORT)]),
    );
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify', verify: 'node --test' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', steps: '2' });
    expect(scenario.model.requests).toHaveLength(5);
  });

  it('publishes the work as a draft when the model API keeps failing', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]));
    scenario.model.setDefault({ status: 500, headers: { 'retry-after': '0' } });
    const result = await scenario.run({ eventName: 'issues', event: issueEvent });

    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('model request 2 failed: 500');
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it('retries GitHub 5xx and secondary rate limits, and a failing comment never fails the run', async () => {
    scenario.github.failNext('POST', /\/pulls$/, { status: 502, times: 2 });
    scenario.github.failNext('POST', /\/labels$/, {
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      },
      headers: { 'retry-after': '1' },
    });
    scenario.github.failNext('POST', /\/issues\/3\/comments$/, { status: 500, times: 50 });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ eventName: 'issues', event: issueEvent, inputs: { verify: 'node --test', labels: 'agent' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed' });
    expect(result.exitCode).toBe(0);
    expect(scenario.github.pulls).toHaveLength(1);
    expect(scenario.github.pulls[0]!.labels.map((label: { name: string }) => label.name)).toEqual(['agent']);
    expect(scenario.github.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/pulls'))).toHaveLength(3);
    expect(result.summary).toContain('could not update the progress comment on #3');
  });

  it("keeps the checkout credential and protected paths out of the agent's reach", async () => {
    await scenario.repo.git(['config', '--local', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic c2VjcmV0LXRva2VuLXZhbHVl']);
    scenario.model.script(
      reply([
        toolUse('bash', {
          command:
            'git config --list | grep -c extraheader; mkdir -p .github/workflows && echo "on: push" > .github/workflows/evil.yml; echo changed >> README.md',
        }),
      ]),
      reply([text(REPORT)]),
    );
    const result = await scenario.run({ inputs: { prompt: 'Tidy up' } });

    // The agent's shell found no credential in the git configuration.
    expect(toolOutput(scenario.model.requests[1]!.body.messages.at(-1).content[0])).toBe('0');
    expect(await scenario.repo.git(['config', '--list', '--local'])).not.toContain('extraheader');
    expect(await scenario.repo.listBranches()).toContain(result.outputs.branch);
    await expect(scenario.repo.readBranchFile(result.outputs.branch!, '.github/workflows/evil.yml')).rejects.toThrow();
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'README.md')).toContain('changed');
    expect(result.summary).toContain('a change to the protected path .github/workflows/evil.yml was undone before commit (protected_paths)');
  });
});
