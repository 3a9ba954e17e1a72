/**
 * Publication from the clean room keeps every guarantee the push path had:
 * a continued branch keeps its history and gains one commit, a conflicting
 * remote change sends the work to a fresh branch, a push that never goes
 * through leaves a patch, the local entry keeps the commit on a local branch,
 * and a paused session is saved — each with hooks planted by the agent that
 * must never run.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { BUNDLE } from '../support/runBundle.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const run = promisify(execFile);
const EDITOR = 'str_replace_based_edit_tool';
const PROMPT_BRANCH = 'nightshift/handle-this-4242';
const ISSUE_BRANCH = 'nightshift/7-slugify-keeps-stray-dashes';

/** A bash call that commits on the agent's own account, then plants hooks that would write into `sentinel`. */
function plantAndCommit(sentinel: string): ReturnType<typeof reply> {
  const hooks = ['pre-push', 'reference-transaction', 'post-commit', 'post-checkout', 'post-rewrite']
    .map((hook) => `printf '#!/bin/sh\\necho ran > %s/${hook}\\ncat > /dev/null\\n' '${sentinel}' > .git/hooks/${hook} && chmod +x .git/hooks/${hook}`)
    .join(' && ');
  // The commit comes first: its own hooks would run for the agent's commit, which is not what is tested.
  return reply([
    toolUse('bash', {
      command: `echo 'agent commit' > AGENT.md && git add AGENT.md && git -c user.name=agent -c user.email=a@a commit -q --no-verify -m mine && ${hooks}`,
    }),
  ]);
}

describe("publication from the clean room keeps the push path's guarantees (end to end)", () => {
  let scenario: Scenario;
  let sentinel: string;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
    sentinel = await mkdtemp(join(tmpdir(), 'nightshift-sentinel-'));
  });
  afterEach(async () => {
    await scenario.close();
    await rm(sentinel, { recursive: true, force: true });
  });

  const origin = (args: string[]) => scenario.repo.git(['--git-dir', scenario.repo.origin, ...args]);

  it("continues an earlier run's branch: its history stays, one commit is added on its tip", async () => {
    const label = () => scenario.run({ eventName: 'issues', event: eventFixture('issues.labeled.ours') });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    await label();
    const firstTip = (await origin(['rev-parse', ISSUE_BRANCH])).trim();
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(
      plantAndCommit(sentinel),
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, with slugs.' })]),
      reply([text(REPORT)]),
    );
    const second = await label();

    expect(second.outputs.branch).toBe(ISSUE_BRANCH);
    expect((await origin(['rev-parse', `${ISSUE_BRANCH}^`])).trim()).toBe(firstTip);
    expect((await origin(['log', '--format=%an', `main..${ISSUE_BRANCH}`])).trim().split('\n')).toEqual(['github-actions[bot]', 'github-actions[bot]']);
    expect(await scenario.repo.readBranchFile(ISSUE_BRANCH, 'README.md')).toContain('with slugs');
    // The agent's own commit is not on the branch, but its file is: the work is what the files say.
    expect(await scenario.repo.readBranchFile(ISSUE_BRANCH, 'AGENT.md')).toBe('agent commit\n');
    expect(await readdir(sentinel)).toEqual([]);
  });

  it('sends the work to a fresh branch when the moved branch conflicts with it', async () => {
    scenario.model.script(
      plantAndCommit(sentinel),
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, ours.' })]),
      async () => {
        await scenario.repo.pushFromElsewhere(PROMPT_BRANCH, 'README.md', '# textkit\n\nSmall text helpers, theirs.\n', 'main');
        return reply([text(REPORT)]);
      },
    );
    const result = await scenario.run({ inputs: { prompt: 'Handle this' } });

    expect(result.outputs.branch).toBe(`${PROMPT_BRANCH}-4242`);
    expect(await scenario.repo.readBranchFile(`${PROMPT_BRANCH}-4242`, 'README.md')).toContain('ours');
    expect(await scenario.repo.readBranchFile(PROMPT_BRANCH, 'README.md')).toContain('theirs');
    expect(result.summary).toContain(`rebasing onto the remote ${PROMPT_BRANCH} conflicted, so it was aborted`);
    expect(result.summary).toContain(`the work was pushed to a fresh branch, ${PROMPT_BRANCH}-4242`);
    expect(await readdir(sentinel)).toEqual([]);
  });

  it('saves the work as a patch when no push goes through', async () => {
    const hook = join(scenario.repo.origin, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "branch protection says no" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    scenario.model.script(plantAndCommit(sentinel), reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Handle this' } });

    const patchPath = /the work is saved as a patch in (\S+)/.exec(result.summary)?.[1];
    expect(patchPath).toBeDefined();
    const patch = await readFile(patchPath!, 'utf8');
    expect(patch).toContain("+    .replace(/^-+|-+$/g, '');");
    expect(patch).toContain('Subject: [PATCH] Handle this');
    expect(patch).not.toContain('Subject: [PATCH] mine');
    expect(await scenario.repo.listBranches()).toEqual(['main']);
    expect(await readdir(sentinel)).toEqual([]);
  });

  it("saves a paused session from the room, with the agent's hooks never run", async () => {
    scenario.model.script(plantAndCommit(sentinel), reply([toolUse('ask_user', { question: 'Which separator?' })]));
    const result = await scenario.run({ eventName: 'issues', event: eventFixture('issues.labeled.ours') });

    expect(result.outputs.status).toBe('needs-input');
    expect((await origin(['for-each-ref', '--format=%(refname)', 'refs/nightshift/sessions/'])).trim()).toBe('refs/nightshift/sessions/7');
    expect(await readdir(sentinel)).toEqual([]);
  });

  it("the local entry keeps one commit on the local branch, replacing the agent's, and runs none of its hooks", async () => {
    const home = await mkdtemp(join(tmpdir(), 'nightshift-home-'));
    await mkdir(join(home, '.config'), { recursive: true });
    try {
      scenario.model.script(
        plantAndCommit(sentinel),
        reply([
          toolUse('bash', {
            command: `mkdir -p "$HOME/hooks" && printf '#!/bin/sh\\necho ran > %s/global-ref\\n' '${sentinel}' > "$HOME/hooks/reference-transaction" && chmod +x "$HOME/hooks/reference-transaction" && git config --global core.hooksPath "$HOME/hooks" && mkdir -p .github/workflows && echo 'on: push' > .github/workflows/evil.yml`,
          }),
        ]),
        reply([toolUse(EDITOR, SLUGIFY_FIX)]),
        reply([text(REPORT)]),
      );
      const env = { PATH: process.env.PATH ?? '', HOME: home, ANTHROPIC_API_KEY: 'sk-ant-local-0123456789', ANTHROPIC_BASE_URL: scenario.model.url };
      const { stdout } = await run(process.execPath, [BUNDLE, '--task', 'Fix slugify', '--max-steps', '8'], { cwd: scenario.repo.dir, env });

      expect(stdout).toContain('Nightshift completed');
      const branch = (await scenario.repo.git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
      expect(branch).toMatch(/^nightshift\/fix-slugify-local-/);
      expect((await scenario.repo.git(['log', '--format=%an %s', 'origin/main..HEAD'])).trim()).toBe('github-actions[bot] Fix slugify');
      expect(await scenario.repo.git(['show', 'HEAD:src/slugify.js'])).toContain(".replace(/^-+|-+$/g, '')");
      expect(await scenario.repo.git(['show', 'HEAD:AGENT.md'])).toBe('agent commit\n');
      // What was left out of the commit is still in the files, and git status says so.
      expect(await scenario.repo.git(['status', '--porcelain', '--untracked-files=all'])).toBe('?? .github/workflows/evil.yml\n');
      expect(await scenario.repo.listBranches()).toEqual(['main']);
      expect(await readdir(sentinel)).toEqual([]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
