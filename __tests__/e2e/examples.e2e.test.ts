import { EXAMPLE_FILES } from '../../src/demo/exampleRepo.js';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { runBundle, type BundleRun } from '../support/runBundle.js';
import { eventFixture, FIXTURE_ISSUE, OWNER, REPO, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';
import { compositeStepEnv, evaluate, jobRuns, loadExample, nightshiftInputs, type Contexts, type WorkflowJob } from '../support/workflow.js';

/**
 * Every example workflow, run as GitHub would run it: its `if:` and `with:` evaluated
 * by GitHub's expression engine, action.yml's step environment built from them, and
 * the bundle run with exactly that environment against the fake APIs.
 */

const EDITOR = 'str_replace_based_edit_tool';
const KEY = 'sk-ant-test-key-0123456789';
const TOKEN = 'ghs_testtoken0123456789abcdefghijklmnopqr';
const RUN_ID = '9001';
// `npm ci` (the label example's verify) needs a lockfile; the repository has no dependencies.
const LOCKFILE = `${JSON.stringify({ name: 'textkit', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'textkit', version: '1.0.0' } } }, null, 2)}\n`;
const TASKS = '# Nightly maintenance\n- Document truncate in the README\n';

describe('example workflows, run as GitHub runs them (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario({ ...EXAMPLE_FILES, 'package-lock.json': LOCKFILE, '.github/nightshift-tasks.md': TASKS });
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  /** The contexts a job's expressions read, for one event. */
  function contexts(eventName: string, event: unknown, extra: Contexts = {}): Contexts {
    return {
      github: { event_name: eventName, event, token: TOKEN, run_id: RUN_ID, repository: `${OWNER}/${REPO}`, ref: 'refs/heads/main', ref_name: 'main' },
      secrets: { ANTHROPIC_API_KEY: KEY, GITHUB_TOKEN: TOKEN },
      inputs: {},
      matrix: {},
      needs: {},
      strategy: { 'job-index': 0, 'job-total': 1 },
      job: {},
      runner: { os: 'Linux', temp: '/tmp' },
      ...extra,
    };
  }

  /** Runs the job's Nightshift step as the runner would: `with:` → action.yml's env → the bundle. */
  function runJob(job: WorkflowJob, jobName: string, eventName: string, event: unknown, ctx: Contexts): Promise<BundleRun> {
    const env = compositeStepEnv(nightshiftInputs(job, ctx), ctx);
    return runBundle({
      inputs: {},
      workspace: scenario.repo.dir,
      eventName,
      event,
      env: {
        ...env,
        GITHUB_API_URL: scenario.github.url,
        GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
        GITHUB_RUN_ID: RUN_ID,
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: jobName,
        // The fake Messages API stands where the public one would: the SDK reads this variable.
        ANTHROPIC_BASE_URL: scenario.model.url,
      },
    });
  }

  it('issue-label.yml: labelling an issue opens a verified PR that closes it, with `npm ci` and `npm test` as its checks', async () => {
    const workflow = loadExample('issue-label.yml');
    const event = eventFixture('issues.labeled.ours');
    const ctx = contexts('issues', event);
    expect(jobRuns(workflow.jobs.agent!, ctx)).toBe(true);
    expect(jobRuns(workflow.jobs.agent!, contexts('issues', { ...event, label: { name: 'bug' } }))).toBe(false);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));

    const result = await runJob(workflow.jobs.agent!, 'agent', 'issues', event, ctx);

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', branch: 'nightshift/7-slugify-keeps-stray-dashes' });
    expect(scenario.github.pulls).toHaveLength(1);
    expect(scenario.github.pulls[0]!.body).toContain('Closes #7');
    expect(scenario.github.pulls[0]!.body).toMatch(/`npm ci`[\s\S]*`npm test`/);
    expect(scenario.github.comments(7).at(-1)!.body).toContain(scenario.github.pulls[0]!.html_url);
  });

  it('issue-label.yml: GitHub matches the label case-insensitively, and so does the action', async () => {
    const workflow = loadExample('issue-label.yml');
    const base = eventFixture('issues.labeled.ours');
    const event = { ...base, label: { ...base.label, name: 'NightShift' }, issue: { ...base.issue, labels: [{ ...base.label, name: 'NightShift' }] } };
    const ctx = contexts('issues', event);
    expect(jobRuns(workflow.jobs.agent!, ctx)).toBe(true);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));

    const result = await runJob(workflow.jobs.agent!, 'agent', 'issues', event, ctx);

    expect(result.outputs.status).toBe('completed');
    expect(scenario.github.pulls).toHaveLength(1);
  });

  it('comment-mention.yml: `@nightshift` in a comment runs; a comment without it starts no job', async () => {
    const workflow = loadExample('comment-mention.yml');
    const event = eventFixture('issue_comment.created.issue');
    const ctx = contexts('issue_comment', event);
    expect(jobRuns(workflow.jobs.agent!, contexts('issue_comment', { ...event, comment: { ...event.comment, body: 'looks good' } }))).toBe(false);
    expect(jobRuns(workflow.jobs.agent!, ctx)).toBe(true);
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));

    const result = await runJob(workflow.jobs.agent!, 'agent', 'issue_comment', event, ctx);

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed' });
    expect(scenario.github.reactions).toEqual([{ subject: 'issues/comments/501', content: 'eyes' }]);
    expect(scenario.github.comments(7)).toHaveLength(1);
  });

  it('manual-dispatch.yml: the task and the dollar budget typed in the Run-workflow form reach the run', async () => {
    const workflow = loadExample('manual-dispatch.yml');
    const event = { ...eventFixture('workflow_dispatch'), inputs: { task: 'Make slugify trim dashes', max_cost_usd: '0.5' } };
    const ctx = contexts('workflow_dispatch', event, { inputs: event.inputs });
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));

    const result = await runJob(workflow.jobs.agent!, 'agent', 'workflow_dispatch', event, ctx);

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed' });
    expect(scenario.model.requests[0]!.body.messages[0].content[0].text).toContain('Make slugify trim dashes');
    expect(result.summary).toContain('$0.50');
    expect(scenario.github.pulls).toHaveLength(1);
  });

  it('nightly-maintenance.yml: the plan job (no key) fans out to matrix jobs of one run, each with its own PR and transcript', async () => {
    const workflow = loadExample('nightly-maintenance.yml');
    scenario.github.addIssue({ number: 4, title: 'Slugify keeps dashes', body: 'Fix it.', user: 'alice', labels: ['maintenance'] });
    const event = eventFixture('schedule');

    const plan = await runJob(workflow.jobs.plan!, 'plan', 'schedule', event, contexts('schedule', event));
    expect(plan.outputs).toMatchObject({ status: 'completed', count: '2' });
    expect(scenario.model.requests).toHaveLength(0);

    const needs = { plan: { outputs: { matrix: plan.outputs.matrix, count: plan.outputs.count } } };
    expect(jobRuns(workflow.jobs.work!, contexts('schedule', event, { needs }))).toBe(true);
    const matrix = evaluate('fromJSON(needs.plan.outputs.matrix)', contexts('schedule', event, { needs })) as { include: Array<Record<string, unknown>> };
    expect(matrix.include.map((item) => item.key)).toEqual(['4-slugify-keeps-dashes', 'task-document-truncate-in-the-readme']);

    // main's own test fails (slugify's bug), so each item's work must fix it to pass `npm test`.
    const readme = { command: 'str_replace', path: 'README.md', old_str: 'Small text helpers.', new_str: 'Small text helpers: slugify, truncate.' };
    const edits = [[toolUse(EDITOR, SLUGIFY_FIX)], [toolUse(EDITOR, readme), toolUse(EDITOR, SLUGIFY_FIX)]];
    const jobs: BundleRun[] = [];
    for (const [index, item] of matrix.include.entries()) {
      scenario.model.script(reply(edits[index]!), reply([text(REPORT)]));
      const ctx = contexts('schedule', event, { needs, matrix: item, strategy: { 'job-index': index, 'job-total': matrix.include.length } });
      jobs.push(await runJob(workflow.jobs.work!, 'work', 'schedule', event, ctx));
      await scenario.repo.resetToOrigin('main');
    }

    expect(jobs.map((job) => job.outputs.status)).toEqual(['completed', 'completed']);
    expect(jobs.map((job) => job.outputs.branch)).toEqual(['nightshift/4-slugify-keeps-dashes', 'nightshift/task-document-truncate-in-the-readme']);
    expect(scenario.github.pulls.map((pull) => pull.head.ref)).toEqual(jobs.map((job) => job.outputs.branch));
    // actions/upload-artifact answers 409 Conflict for a second artifact of the same name in one run.
    expect(jobs[0]!.outputs.transcript).not.toBe(jobs[1]!.outputs.transcript);
    expect(jobs[0]!.outputs.transcript_path).not.toBe(jobs[1]!.outputs.transcript_path);
  });

  it('pr-review-comment.yml: a review comment with `@nightshift` continues the PR on its branch', async () => {
    const workflow = loadExample('pr-review-comment.yml');
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/nightshift/7-slugify']);
    const event = eventFixture('pull_request_review_comment.created');
    const ctx = contexts('pull_request_review_comment', event);
    expect(jobRuns(workflow.jobs.agent!, ctx)).toBe(true);
    expect(jobRuns(workflow.jobs.agent!, contexts('pull_request_review_comment', { ...event, comment: { ...event.comment, body: 'nit: spacing' } }))).toBe(
      false,
    );
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));

    const result = await runJob(workflow.jobs.agent!, 'agent', 'pull_request_review_comment', event, ctx);

    expect(result.outputs).toMatchObject({ status: 'completed', verified: 'passed', branch: 'nightshift/7-slugify', pr_number: '9' });
    expect(await scenario.repo.readBranchFile('nightshift/7-slugify', 'src/slugify.js')).toContain('.replace(/^-+|-+$/g');
  });
});
