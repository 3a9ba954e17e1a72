import { EXAMPLE_FILES } from '../../src/demo/exampleRepo.js';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const TASKS = '# Nightly maintenance\n- Add a CHANGELOG entry for 1.0.0\n\nDocument truncate in the README\n';

describe('the maintenance lane (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario({ ...EXAMPLE_FILES, '.github/nightshift-tasks.md': TASKS });
    scenario.github.addIssue({ number: 4, title: 'Slugify keeps dashes', body: 'Fix it.', user: 'alice', labels: ['maintenance'] });
    scenario.github.addIssue({ number: 5, title: 'Unrelated', body: '', user: 'alice', labels: ['question'] });
    scenario.github.addIssue({ number: 6, title: 'Truncate is off by one', body: 'Fix it.', user: 'bob', labels: ['maintenance'] });
  });
  afterEach(async () => {
    await scenario.close();
  });

  // As the nightly example's plan job calls it: no API key, since plan mode makes no model call.
  const plan = () =>
    scenario.run({
      eventName: 'schedule',
      inputs: { anthropic_api_key: '', mode: 'plan', plan_label: 'maintenance', tasks_file: '.github/nightshift-tasks.md' },
    });

  it('lists labelled issues and task-file lines as a matrix, with no model call', async () => {
    const result = await plan();

    expect(result.outputs.status).toBe('completed');
    expect(result.outputs.count).toBe('4');
    expect(JSON.parse(result.outputs.matrix!)).toEqual({
      include: [
        { key: '4-slugify-keeps-dashes', title: 'Slugify keeps dashes', prompt: '', issue_number: 4 },
        { key: '6-truncate-is-off-by-one', title: 'Truncate is off by one', prompt: '', issue_number: 6 },
        {
          key: 'task-add-a-changelog-entry-for-1-0-0',
          title: 'Add a CHANGELOG entry for 1.0.0',
          prompt: 'Add a CHANGELOG entry for 1.0.0',
          issue_number: null,
        },
        {
          key: 'task-document-truncate-in-the-readme',
          title: 'Document truncate in the README',
          prompt: 'Document truncate in the README',
          issue_number: null,
        },
      ],
    });
    expect(scenario.model.requests).toHaveLength(0);
    expect(result.summary).toContain('| `4-slugify-keeps-dashes` | #4 | Slugify keeps dashes |');
  });

  it('runs a matrix item on its issue, then leaves it out of the next plan while its PR is open', async () => {
    scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
    const item = await scenario.run({ eventName: 'schedule', inputs: { issue_number: '4', task_key: '4-slugify-keeps-dashes', verify: 'node --test' } });

    expect(item.outputs).toMatchObject({ status: 'completed', verified: 'passed', branch: 'nightshift/4-slugify-keeps-dashes' });
    expect(scenario.github.pulls[0]!.body).toContain('Closes #4');
    const next = await plan();
    expect(next.outputs.count).toBe('3');
    expect(next.outputs.matrix).not.toContain('"issue_number":4');
    expect(next.summary).toContain(
      'Left out because an open pull request already carries them:\n- `4-slugify-keeps-dashes`: https://github.com/octo/demo/pull/',
    );
  });

  it('keeps a scheduled task on one branch and PR across nights', async () => {
    const inputs = { prompt: 'Document truncate in the README', task_key: 'task-document-truncate-in-the-readme' };
    scenario.model.script(
      reply([
        toolUse('str_replace_based_edit_tool', {
          command: 'str_replace',
          path: 'README.md',
          old_str: 'Small text helpers.',
          new_str: 'Small text helpers: slugify, truncate.',
        }),
      ]),
      reply([text(REPORT)]),
    );
    const first = await scenario.run({ eventName: 'schedule', inputs });
    await scenario.repo.resetToOrigin('main');
    scenario.model.script(
      reply([toolUse('str_replace_based_edit_tool', { command: 'str_replace', path: 'README.md', old_str: 'truncate.', new_str: 'truncate (see src/).' })]),
      reply([text(REPORT)]),
    );
    const second = await scenario.run({ eventName: 'schedule', inputs });

    expect(first.outputs.branch).toBe('nightshift/task-document-truncate-in-the-readme');
    expect(second.outputs.branch).toBe(first.outputs.branch);
    expect(second.outputs.pr_number).toBe(first.outputs.pr_number);
    expect(scenario.github.pulls).toHaveLength(1);
  });

  it('names the input when an issue_number cannot be read', async () => {
    const result = await scenario.run({ eventName: 'schedule', inputs: { issue_number: '99' } });
    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('issue_number 99: cannot read the issue from octo/demo');
    expect(scenario.model.requests).toHaveLength(0);
  });

  it('a run that would call the model without a key fails before any request, naming the input', async () => {
    const result = await scenario.run({ eventName: 'schedule', inputs: { anthropic_api_key: '', prompt: 'Document truncate in the README' } });
    expect(result.exitCode).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(result.summary).toContain('anthropic_api_key must be set for a run that calls the model');
    expect(scenario.model.requests).toHaveLength(0);
    expect(scenario.github.pulls).toHaveLength(0);
  });
});
