import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { labeledIssueEvent, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const ISSUE = { number: 7, title: 'slugify keeps stray dashes', body: 'slugify("  Hello,   World!  ") should be "hello-world".' };
const BRANCH = 'nightshift/7-slugify-keeps-stray-dashes';
const bash = (command: string) => reply([toolUse('bash', { command })]);

const issueEvent = () => labeledIssueEvent(ISSUE);

describe('signed commits through createCommitOnBranch (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice', labels: ['nightshift'] });
  });
  afterEach(async () => {
    await scenario.close();
  });

  const runOnIssue = (inputs: Record<string, string> = {}) => scenario.run({ eventName: 'issues', event: issueEvent(), inputs });
  const origin = (args: string[]) => scenario.repo.git(['--git-dir', scenario.repo.origin, ...args]);
  const tip = async (branch: string) => (await origin(['rev-parse', `refs/heads/${branch}`])).trim();
  const signed = (branch: string) => scenario.github.commits.filter((commit) => commit.branch === branch && commit.verified);

  it('sign_commits true: added, changed, deleted and binary files in one Verified commit, then the PR', async () => {
    scenario.model.script(
      reply([toolUse(EDITOR, SLUGIFY_FIX)]),
      bash("printf 'new file\\n' > NEW.md && rm src/truncate.js && printf '\\000\\001\\377\\376binary' > logo.bin"),
      reply([text(REPORT)]),
    );
    const result = await runOnIssue({ sign_commits: 'true' });

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH, pr_number: '8' });
    const commits = signed(BRANCH);
    expect(commits).toHaveLength(1);
    expect(await tip(BRANCH)).toBe(commits[0]!.oid);
    // One commit on main, made by "GitHub" (the fake's createCommitOnBranch), none pushed.
    expect((await origin(['log', '--format=%cn|%an|%s', `main..${BRANCH}`])).trim()).toBe('GitHub|github-actions[bot]|slugify keeps stray dashes');
    expect(commits[0]!.body).toContain('Co-authored-by: alice <11+alice@users.noreply.github.com>');
    expect(await scenario.repo.readBranchFile(BRANCH, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(await scenario.repo.readBranchFile(BRANCH, 'NEW.md')).toBe('new file\n');
    const tree = await origin(['ls-tree', '-r', '--name-only', BRANCH]);
    expect(tree).not.toContain('src/truncate.js');
    const blob = (await origin(['rev-parse', `${BRANCH}:logo.bin`])).trim();
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      import('node:child_process').then(({ execFile }) =>
        execFile('git', ['--git-dir', scenario.repo.origin, 'cat-file', 'blob', blob], { encoding: 'buffer' }, (error, stdout) =>
          error ? reject(error) : resolve(stdout),
        ),
      ),
    );
    expect(bytes).toEqual(Buffer.from([0, 1, 0xff, 0xfe, ...Buffer.from('binary')]));
    expect(scenario.github.pulls[0]).toMatchObject({ head: { ref: BRANCH }, base: { ref: 'main' } });
    expect(result.outputs.pr_url).toBe(scenario.github.pulls[0]!.html_url);
  });

  it('sign_commits auto: a ruleset requiring signatures on the branch makes the commit signed without being asked', async () => {
    scenario.github.addRuleset({ branches: ['~ALL'], rules: [{ type: 'required_signatures' }] });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue();

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH });
    expect(signed(BRANCH)).toHaveLength(1);
    expect(await tip(BRANCH)).toBe(signed(BRANCH)[0]!.oid);
    expect(result.summary).toContain(`the rules for ${BRANCH} require signed commits`);
    expect(scenario.github.pulls[0]!.body).toContain('require signed commits');
    // The preflight's read of the branch's rules decides the signing too: GitHub is asked once.
    const rulesReads = scenario.github.requests.filter((request) => request.method === 'GET' && request.path.includes('/rules/branches/'));
    expect(rulesReads.map((request) => decodeURIComponent(request.path))).toEqual([`/repos/octo/demo/rules/branches/${BRANCH}`]);
  });

  it('sign_commits auto without such a rule: git push, as before', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue();

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH });
    expect(scenario.github.commits).toEqual([]);
    expect(scenario.github.requests.filter((request) => request.path === '/graphql')).toEqual([]);
    expect((await origin(['log', '--format=%cn', `main..${BRANCH}`])).trim()).toBe('github-actions[bot]');
  });

  it('a large change goes in several bounded mutations, each on the one before, and the final tree is the work', async () => {
    scenario.model.script(
      bash('head -c 3000000 /dev/urandom > big1.bin && head -c 3000000 /dev/urandom > big2.bin && sha256sum big1.bin big2.bin > sums.txt'),
      reply([toolUse(EDITOR, SLUGIFY_FIX)]),
      reply([text(REPORT)]),
    );
    const result = await runOnIssue({ sign_commits: 'true' });

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH });
    const commits = signed(BRANCH);
    expect(commits.length).toBeGreaterThanOrEqual(2);
    expect(await tip(BRANCH)).toBe(commits.at(-1)!.oid);
    const mutations = scenario.github.requests.filter((request) => request.path === '/graphql' && /createCommitOnBranch/.test(request.body.query));
    expect(mutations).toHaveLength(commits.length);
    // Each mutation stays under the bound and builds on the oid the one before made.
    for (const mutation of mutations) expect(JSON.stringify(mutation.body).length).toBeLessThan(4.5 * 1024 * 1024);
    expect(mutations[1]!.body.variables.input.expectedHeadOid).toBe(commits[0]!.oid);
    expect(commits.at(-1)!.headline).toBe('slugify keeps stray dashes');
    expect(commits[0]!.headline).toBe(`slugify keeps stray dashes (part 1 of ${commits.length})`);
    expect(result.summary).toContain(`committed in ${commits.length} parts`);
    // The tree on origin holds the same bytes the agent wrote.
    const sums = await scenario.repo.readBranchFile(BRANCH, 'sums.txt');
    for (const name of ['big1.bin', 'big2.bin']) {
      const blob = (await origin(['rev-parse', `${BRANCH}:${name}`])).trim();
      const size = (await origin(['cat-file', '-s', blob])).trim();
      expect(size).toBe('3000000');
      const { createHash } = await import('node:crypto');
      const { execFileSync } = await import('node:child_process');
      const sum = createHash('sha256')
        .update(execFileSync('git', ['--git-dir', scenario.repo.origin, 'cat-file', 'blob', blob], { maxBuffer: 8 << 20 }))
        .digest('hex');
      expect(sums).toContain(`${sum}  ${name}`);
    }
    expect(await scenario.repo.readBranchFile(BRANCH, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });

  it('a branch that moved during the run: the work is replayed onto it and committed signed, losing neither side', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    await runOnIssue({ sign_commits: 'true' });
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, with slugs.' })]),
      async () => {
        await scenario.repo.pushFromElsewhere(BRANCH, 'NOTES.md', 'pushed meanwhile\n');
        return reply([text(REPORT)]);
      },
    );
    const result = await runOnIssue({ sign_commits: 'true' });

    expect(result.outputs.branch).toBe(BRANCH);
    expect(await scenario.repo.readBranchFile(BRANCH, 'NOTES.md')).toBe('pushed meanwhile\n');
    expect(await scenario.repo.readBranchFile(BRANCH, 'README.md')).toContain('with slugs');
    expect(await scenario.repo.readBranchFile(BRANCH, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    expect(await tip(BRANCH)).toBe(signed(BRANCH).at(-1)!.oid);
    expect(result.summary).toContain('had moved; the work was rebased onto it and committed');
  });

  it('GitHub answering that the branch moved (a stale expectedHeadOid) is tried again on the new head', async () => {
    scenario.github.failNext('POST', /^\/graphql$/, {
      status: 200,
      body: { data: null, errors: [{ type: 'STALE_DATA', message: 'Expected branch to point to "abc" but it did not. Pull and try again.' }] },
    });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue({ sign_commits: 'true' });

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH });
    expect(signed(BRANCH)).toHaveLength(1);
    expect(result.summary).toContain(`${BRANCH} moved while the commit was made`);
  });

  it('a moved branch that conflicts with the work: a fresh branch, committed signed', async () => {
    scenario.model.script(
      reply([toolUse(EDITOR, { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers, ours.' })]),
      async () => {
        await scenario.repo.pushFromElsewhere(BRANCH, 'README.md', '# textkit\n\nSmall text helpers, theirs.\n', 'main');
        return reply([text(REPORT)]);
      },
    );
    const result = await runOnIssue({ sign_commits: 'true' });

    expect(result.outputs.branch).toBe(`${BRANCH}-4242`);
    expect(await scenario.repo.readBranchFile(`${BRANCH}-4242`, 'README.md')).toContain('ours');
    expect(await scenario.repo.readBranchFile(BRANCH, 'README.md')).toContain('theirs');
    expect(signed(`${BRANCH}-4242`)).toHaveLength(1);
    expect(result.summary).toContain(`rebasing onto the remote ${BRANCH} conflicted, so it was aborted`);
    expect(result.summary).toContain(`the work was committed to a fresh branch, ${BRANCH}-4242`);
  });

  it('saves the work as a patch when GitHub refuses every commit', async () => {
    scenario.github.failNext('POST', /^\/graphql$/, {
      status: 200,
      body: { data: null, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] },
      times: 5,
    });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue({ sign_commits: 'true' });

    const patchPath = /the work is saved as a patch in (\S+)/.exec(result.summary)?.[1];
    expect(patchPath).toBeDefined();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(patchPath!, 'utf8')).toContain("+    .replace(/^-+|-+$/g, '');");
    expect(result.summary).toContain('Resource not accessible by integration');
  });
});
