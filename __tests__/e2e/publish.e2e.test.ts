import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { labeledIssueEvent, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const ISSUE = { number: 7, title: 'slugify keeps stray dashes', body: 'slugify("  Hello,   World!  ") should be "hello-world".' };

const issueEvent = () => labeledIssueEvent(ISSUE);

describe('verify, then publish (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice', labels: ['nightshift'] });
  });
  afterEach(async () => {
    await scenario.close();
  });

  const runOnIssue = (inputs: Record<string, string> = {}) =>
    scenario.run({ eventName: 'issues', event: issueEvent(), inputs: { verify: 'node --test', ...inputs } });

  it('opens a ready pull request when every check passes, and says so on the issue', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue({ labels: 'agent, bugfix', reviewers: '@bob' });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', branch: 'nightshift/7-slugify-keeps-stray-dashes', pr_number: '8' });
    const [pr] = scenario.github.pulls;
    expect(pr).toMatchObject({ draft: false, title: ISSUE.title, head: { ref: 'nightshift/7-slugify-keeps-stray-dashes' }, base: { ref: 'main' } });
    expect(pr!.body).toContain('Ready for review: every check passed.');
    expect(pr!.body).toContain('| `node --test` | ✅ passed |');
    expect(pr!.body).toContain('| `src/slugify.js` | +2 | −1 |');
    expect(pr!.body).toContain('Closes #7');
    expect(pr!.body).toContain('## Summary\nFixed slugify.');
    expect(pr!.body).toContain('https://github.com/octo/demo/actions/runs/4242');
    expect(pr!.labels.map((label: { name: string }) => label.name)).toEqual(['agent', 'bugfix']);
    expect(pr!.requested_reviewers.map((user: { login: string }) => user.login)).toEqual(['bob']);

    const log = await scenario.repo.git([
      '--git-dir',
      scenario.repo.origin,
      'log',
      '-1',
      '--format=%an <%ae>%n%s%n%b',
      'nightshift/7-slugify-keeps-stray-dashes',
    ]);
    expect(log).toContain('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>\nslugify keeps stray dashes');
    expect(log).toContain('Co-authored-by: alice <11+alice@users.noreply.github.com>');
    expect(await scenario.repo.git(['config', '--list', '--local'])).not.toContain('ghs_');

    const comments = scenario.github.comments(7);
    expect(comments.at(-1)!.body).toContain(`Pull request: ${pr!.html_url}`);
    expect(result.summary).toContain(`- Pull request: [#8](${pr!.html_url})`);
    expect(result.summary).toContain('```mermaid');
  });

  it('opens a draft with the failure evidence when the checks still fail after the attempts', async () => {
    scenario.model.script(
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small, tested text helpers.' })]),
      reply([text('## Summary\nDone, I think.')]),
      reply([text('## Summary\nStill done.')]),
    );
    const result = await runOnIssue({ verify_attempts: '2' });

    expect(result.outputs).toMatchObject({ status: 'failed', verified: 'failed' });
    expect(result.exitCode).toBe(1);
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain('Draft: checks still failing after 2 verification attempts: `node --test`.');
    expect(pr!.body).toMatch(/\| `node --test` \| ❌ failed \(exit 1\) \|/);
    expect(pr!.body).toContain('collapses separators and trims the ends');
    expect(pr!.body).toContain('verification attempt 1: `node --test` failed');
    // The second request carried the failing output back to the agent.
    const feedback = JSON.stringify(scenario.model.requests[2]!.body.messages.at(-1));
    expect(feedback).toContain('Verification attempt 1 of 2 failed: `node --test`');
  });

  it('saves work cut short by the budget as a draft pull request', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]));
    scenario.model.setDefault(() => reply([toolUse('list_files', {})]));
    const result = await runOnIssue({ max_steps: '2' });

    expect(result.outputs).toMatchObject({ status: 'budget-exhausted', stopped_by: 'steps', verified: 'unverified' });
    const [pr] = scenario.github.pulls;
    expect(pr!.draft).toBe(true);
    expect(pr!.body).toContain('Draft: max_steps reached: 2 of 2 model requests made.');
    expect(pr!.body).toContain('The checks did not run');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it('updates the same branch and pull request when run again for the same issue', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const first = await runOnIssue();
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, with slugs.' })]),
      reply([text(REPORT)]),
    );
    const second = await runOnIssue();

    expect(second.outputs.branch).toBe(first.outputs.branch);
    expect(second.outputs.pr_number).toBe(first.outputs.pr_number);
    expect(scenario.github.pulls).toHaveLength(1);
    // The second run built on the first: both changes are on the branch.
    expect(await scenario.repo.readBranchFile(second.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(await scenario.repo.readBranchFile(second.outputs.branch!, 'README.md')).toContain('with slugs');
    expect(scenario.github.pulls[0]!.body).toContain('| `README.md` | +1 | −1 |');
  });

  it('pushes nothing and opens nothing when nothing changed, and says why', async () => {
    scenario.model.script(reply([text('## Summary\nThe code is already correct; nothing to change.')]));
    const result = await scenario.run({ inputs: { prompt: 'Check slugify' } });

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'unverified', branch: '', pr_url: '' });
    expect(await scenario.repo.listBranches()).toEqual(['main']);
    expect(scenario.github.pulls).toHaveLength(0);
    expect(result.summary).toContain('No files changed, so no branch was pushed and no pull request opened.');
  });

  it('still pushes the branch and gives the compare link when Actions may not open pull requests', async () => {
    scenario.github.forbidPullRequestCreation();
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue();

    const branch = 'nightshift/7-slugify-keeps-stray-dashes';
    expect(result.outputs).toMatchObject({ status: 'completed', branch, pr_url: '' });
    expect(await scenario.repo.readBranchFile(branch, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    const compare = `https://github.com/octo/demo/compare/main...${encodeURIComponent(branch)}?expand=1`;
    expect(result.summary).toContain(compare);
    expect(result.summary).toContain('Allow GitHub Actions to create and approve pull requests');
    expect(scenario.github.comments(7).at(-1)!.body).toContain(compare);
  });

  it('pushes the work even when the first push is rejected', async () => {
    const hook = join(scenario.repo.origin, 'hooks', 'pre-receive');
    await writeFile(hook, `#!/bin/sh\nif [ ! -f "$GIT_DIR/rejected-once" ]; then touch "$GIT_DIR/rejected-once"; echo "busy, try again" >&2; exit 1; fi\n`);
    await chmod(hook, 0o755);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue();

    expect(result.outputs.branch).toBe('nightshift/7-slugify-keeps-stray-dashes');
    expect(await scenario.repo.readBranchFile(result.outputs.branch!, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(result.summary).toContain('pushed nightshift/7-slugify-keeps-stray-dashes on the second try');
  });

  it('rebases onto a branch that moved during the run, losing neither side', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    await runOnIssue();
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, with slugs.' })]),
      async () => {
        // Someone pushes to the branch while the agent works.
        await scenario.repo.pushFromElsewhere('nightshift/7-slugify-keeps-stray-dashes', 'NOTES.md', 'pushed meanwhile\n');
        return reply([text(REPORT)]);
      },
    );
    const result = await runOnIssue();

    const branch = 'nightshift/7-slugify-keeps-stray-dashes';
    expect(result.outputs.branch).toBe(branch);
    expect(await scenario.repo.readBranchFile(branch, 'NOTES.md')).toBe('pushed meanwhile\n');
    expect(await scenario.repo.readBranchFile(branch, 'README.md')).toContain('with slugs');
    expect(result.summary).toContain('was rebased onto it and pushed');
  });
});
