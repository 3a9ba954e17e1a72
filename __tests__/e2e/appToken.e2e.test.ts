import { readFileSync } from 'node:fs';
import { generateApp } from '../support/fakeApp.js';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { startGitHttp, type GitHttpServer } from '../support/gitHttp.js';
import { leaksIn } from '../support/leaks.js';
import { OWNER, REPO, REPORT, SLUGIFY_FIX, startScenario, type Scenario, labeledIssueEvent } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const ISSUE = { number: 7, title: 'slugify keeps stray dashes', body: 'slugify("  Hello,   World!  ") should be "hello-world".' };
const BRANCH = 'nightshift/7-slugify-keeps-stray-dashes';
const WORKFLOW_TOKEN = 'ghs_testtoken0123456789abcdefghijklmnopqr';
const CI_NOTE = 'CI will not start on this pull request';

const issueEvent = () => labeledIssueEvent(ISSUE);

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe('a GitHub App token for the push and the PR, so CI starts (end to end)', () => {
  let scenario: Scenario;
  let git: GitHttpServer;
  const { app, privateKey } = generateApp();
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue({ ...ISSUE, user: 'alice', labels: ['nightshift'] });
    // origin over smart HTTP, as github.com serves it, so the test sees which token each fetch and push carried.
    git = await startGitHttp({ origin: scenario.repo.origin, owner: OWNER, repo: REPO, commits: scenario.github.commits });
    await scenario.repo.git(['remote', 'set-url', 'origin', git.repoUrl]);
  });
  afterEach(async () => {
    await git.close();
    await scenario.close();
  });

  const runOnIssue = (inputs: Record<string, string> = {}) =>
    scenario.run({ eventName: 'issues', event: issueEvent(), inputs, env: { GITHUB_SERVER_URL: git.url } });
  const authOf = (method: string, path: RegExp) =>
    scenario.github.requests.filter((request) => request.method === method && path.test(request.path)).map((request) => request.headers.authorization);

  it('mints an installation token with a verified JWT, pushes and opens the PR with it, and never shows it or the key', async () => {
    scenario.github.addApp(app);
    // The program's own environment, read as any same-user process could, while it waits for the first reply.
    let pid = 0;
    let environ = '';
    const firstReply = () => {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      return reply([toolUse(EDITOR, SLUGIFY_FIX)]);
    };
    scenario.model.script(firstReply, reply([toolUse('bash', { command: 'env' })]), reply([text(REPORT)]));
    const result = await scenario.run({
      eventName: 'issues',
      event: issueEvent(),
      inputs: { app_id: app.id, app_private_key: privateKey },
      env: { GITHUB_SERVER_URL: git.url },
      onSpawn: (spawned) => (pid = spawned),
    });

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH, pr_number: '8' });
    expect(scenario.github.appTokens).toHaveLength(1);
    const token = scenario.github.appTokens[0]!;
    // The JWT opened both app routes (the fake answers 401 to one it cannot verify).
    expect(authOf('GET', /\/installation$/)).toEqual([expect.stringMatching(/^bearer [\w-]+\.[\w-]+\.[\w-]+$/)]);
    const minted = scenario.github.requests.find((request) => request.path === `/app/installations/${app.installationId}/access_tokens`)!;
    expect(minted.body).toMatchObject({ repositories: [REPO] });
    // The push went over HTTP with the installation token, and so did every fetch after it was minted.
    const pushes = git.requests.filter((request) => request.path.endsWith('/git-receive-pack'));
    expect(pushes.length).toBeGreaterThan(0);
    expect(new Set(pushes.map((request) => request.token))).toEqual(new Set([token]));
    expect(scenario.github.commits).toEqual([expect.objectContaining({ branch: BRANCH, verified: false, via: 'push', token })]);
    expect(await scenario.repo.readBranchFile(BRANCH, 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
    // The PR with the app's token; the comments keep the workflow's.
    expect(authOf('POST', /\/pulls$/)).toEqual([`token ${token}`]);
    expect(new Set(authOf('POST', /\/issues\/7\/comments$/))).toEqual(new Set([`token ${WORKFLOW_TOKEN}`]));
    expect(scenario.github.pulls[0]!.body).not.toContain(CI_NOTE);
    expect(result.summary).not.toContain(CI_NOTE);
    // Neither the token nor the key (any line of it) in the log, summary, outputs, comments, or what the agent saw (its `env`).
    const keyLines = privateKey.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
    // `::add-mask::` lines are how the runner learns to mask a value; it does not print them.
    const log = (text: string) =>
      text
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n');
    const shown = [
      log(result.stdout),
      log(result.stderr),
      result.summary,
      JSON.stringify(result.outputs),
      JSON.stringify(scenario.github.pulls),
      JSON.stringify(scenario.github.comments(7)),
    ].join('\n');
    expect(leaksIn(shown, [token])).toEqual([]);
    expect(keyLines.filter((line) => shown.includes(line))).toEqual([]);
    const modelSaw = JSON.stringify(scenario.model.requests.map((request) => request.body));
    expect(modelSaw).toContain('GITHUB_ACTIONS');
    expect(modelSaw).not.toContain(token);
    expect(keyLines.filter((line) => modelSaw.includes(line))).toEqual([]);
    expect(modelSaw).not.toContain('INPUT_APP_PRIVATE_KEY');
    // The step handed the key over on fd 3 and unset it: not in the environment node was started with.
    expect(environ).toContain('INPUT_APP_ID=');
    expect(environ).not.toContain('INPUT_APP_PRIVATE_KEY');
    expect(keyLines.filter((line) => environ.includes(line))).toEqual([]);
  });

  it('without an app: the PR body and the summary each say once that CI will not start, and how to change that', async () => {
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    const result = await runOnIssue();

    expect(result.outputs).toMatchObject({ status: 'completed', branch: BRANCH });
    const pushes = git.requests.filter((request) => request.path.endsWith('/git-receive-pack'));
    expect(new Set(pushes.map((request) => request.token))).toEqual(new Set([WORKFLOW_TOKEN]));
    const body: string = scenario.github.pulls[0]!.body;
    expect(count(body, CI_NOTE)).toBe(1);
    expect(count(result.summary, CI_NOTE)).toBe(1);
    expect(body).toContain('`app_id` and `app_private_key`');
    expect(body).toContain('close and reopen the pull request');
  });

  it("a JWT GitHub cannot verify (not the app's key): a clear error before any model call, nothing pushed", async () => {
    scenario.github.addApp({ ...app, publicKey: generateApp().app.publicKey });
    const result = await runOnIssue({ app_id: app.id, app_private_key: privateKey });

    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain(`could not find the GitHub App installation (app ${app.id} on ${OWNER}/${REPO})`);
    expect(scenario.model.requests).toHaveLength(0);
    expect(scenario.github.appTokens).toEqual([]);
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it('a key that is not a PEM private key: an error naming app_private_key, without the key', async () => {
    const notAKey = 'not-a-key-0123456789abcdefghij-secret-material';
    const result = await runOnIssue({ app_id: app.id, app_private_key: notAKey });

    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('app_private_key must be a PEM private key');
    expect(`${result.stdout}${result.stderr}${result.summary}`).not.toContain(notAKey);
    expect(scenario.model.requests).toHaveLength(0);
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it('one app input without the other: an error naming both', async () => {
    const result = await runOnIssue({ app_id: app.id });

    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('app_id and app_private_key must be set together');
  });
});
