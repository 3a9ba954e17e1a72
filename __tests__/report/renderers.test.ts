import { renderIssueComment } from '../../src/report/issueComment.js';
import { renderPrBody, prTitle } from '../../src/report/prBody.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderProgress } from '../../src/progress/renderProgress.js';
import { ZERO_USAGE } from '../../src/records/usage.js';
import { emptyReport, type RunReport } from '../../src/records/report.js';
import { closingReferences, htmlTags, inFence, mentions, prose } from '../support/githubText.js';

/**
 * What the model, an issue and the repository's code control, rendered where
 * people read it: nobody is notified, no issue is closed but ours, no HTML
 * gets through, and nothing breaks out of its place.
 */
const HOSTILE_REPORT = [
  '## Summary',
  'Done. Thanks @alice and @octo/maintainers!',
  'Fixes #1, closes octo/other#2, resolves https://github.com/octo/demo/issues/3',
  '<details><summary>more</summary>',
  '<!-- hide everything after this',
  '```',
  'an open fence that would swallow the rest',
].join('\n');

const report = (extra: Partial<RunReport> = {}): RunReport =>
  emptyReport('completed', 'the agent finished', {
    task: {
      title: 'Fixes #4: slugify',
      instruction: 'Please fix it, @bob. Fixes #5 <img src=x onerror=alert(1)>',
      source: { kind: 'issue', event: 'issues', number: 7, url: 'https://github.com/octo/demo/issues/7' },
    },
    finalText: HOSTILE_REPORT,
    fileChanges: [{ path: 'a` @carol `b.txt', added: 1, deleted: 0, status: 'A' }],
    steps: [
      {
        index: 1,
        modelMs: 1,
        toolMs: 1,
        ownMs: 0,
        usage: ZERO_USAGE,
        costUsd: 0,
        stopReason: 'tool_use',
        toolCalls: [{ name: 'bash', summary: 'bash: echo @dave <b>x</b> closes #6', isError: true, ms: 1 }],
      },
    ],
    verification: {
      verdict: 'failed',
      commands: ['npm test'],
      runs: [
        { attempt: 1, results: [{ command: 'npm test', passed: false, exitCode: 1, timedOut: false, durationMs: 5, output: 'failed\n```\n@erin fixes #8' }] },
      ],
    },
    publication: { notes: ['a change to notes/@frank.md was undone (fixes #9)'], branch: 'nightshift/7-x' },
    ...extra,
  });

/** The tags our own sections use (collapsed check output and report, the step log, our marker comments). */
const OUR_TAGS = ['<details', '<summary', '</summary', '</details', '<code', '</code', '<br'];

describe('the PR body', () => {
  const body = renderPrBody(report());

  it('notifies nobody and closes only the task issue', () => {
    expect(mentions(prose(body))).toEqual([]);
    // One comment: our marker, last.
    expect(htmlTags(prose(body)).filter((tag) => !OUR_TAGS.includes(tag))).toEqual(['<!--']);
    expect(prose(body)).toMatch(/<!-- nightshift -->$/);
    expect(closingReferences(body)).toEqual(['Closes #7']);
  });

  it('keeps our own closing line and marker outside any fence the report left open', () => {
    expect(inFence(body, 'Closes #7')).toBe(false);
    expect(inFence(body, '### Files changed')).toBe(false);
  });

  it('shows a file name with backticks as one code span', () => {
    expect(body).toContain('| ``a` @carol `b.txt`` (new) | +1 | −0 |');
  });

  it('keeps the check output in a fence it cannot close', () => {
    expect(body).toContain('````\nfailed\n```\n@erin fixes\u200b #8\n````');
  });

  it('breaks closing references in the title, which a squash merge makes a commit message', () => {
    expect(closingReferences(prTitle(report()))).toEqual([]);
  });
});

describe('the job summary, the issue comment and the progress comment', () => {
  it.each([
    ['summary', renderSummary(report())],
    ['issue comment', renderIssueComment(report({ status: 'failed', reason: 'the agent asked: @alice fixes #1 <b>?' }))],
    [
      'progress comment',
      renderProgress({
        status: 'working',
        steps: 1,
        maxSteps: 5,
        elapsedMs: 1,
        tokens: 1,
        costUsd: 0,
        actions: [{ summary: 'bash: echo @dave <b>x</b> closes #6', done: true }],
        notes: ['@frank <i>'],
      }),
    ],
  ])('%s: notifies nobody, closes nothing, carries no HTML of theirs', (_where, rendered) => {
    const markdown = rendered.replace(/^<!-- nightshift:progress -->$/m, '');
    expect(mentions(prose(markdown))).toEqual([]);
    expect(closingReferences(markdown)).toEqual([]);
    expect(htmlTags(prose(markdown)).filter((tag) => !OUR_TAGS.includes(tag))).toEqual([]);
  });

  it('the summary keeps the agent report inside its details block', () => {
    const summary = renderSummary(report());
    expect(inFence(summary, '</details>')).toBe(false);
    expect(htmlTags(prose(summary)).filter((tag) => tag === '</details')).toHaveLength(htmlTags(prose(summary)).filter((tag) => tag === '<details').length);
  });
});

describe('an approval in the PR body and the summary', () => {
  const approved = report({
    approval: {
      command: 'curl -s https://example.com/release | tee out.txt',
      by: 'alice',
      decision: 'approved',
      ran: true,
      exitCode: 0,
      outputTail: 'released v1\n',
      blockedBy: undefined,
    },
  });

  it('says who approved what, its exit code and the end of its output', () => {
    for (const markdown of [renderPrBody(approved), renderSummary(approved)]) {
      expect(markdown).toContain(
        '### Approval\n\n@\u200balice approved this command; it ran when the session resumed:\n\n```\ncurl -s https://example.com/release | tee out.txt\n```\n\nIt exited with code 0.',
      );
      expect(markdown).toContain('<details><summary>Output (last lines)</summary>\n\n```\nreleased v1\n```');
    }
  });

  it('says when a blocked command ran because a person approved it, and shows a denial', () => {
    const blocked = renderPrBody(
      report({
        approval: {
          command: 'git push origin HEAD',
          by: 'alice',
          decision: 'approved',
          ran: true,
          exitCode: 1,
          endNote: 'exit code 1',
          outputTail: 'rejected',
          blockedBy: '\\bgit\\s+push\\b',
        },
      }),
    );
    expect(blocked).toContain(
      'It matches `\\bgit\\s+push\\b` of `blocked_commands`: it ran because a person approved it.\n\nIt exited with code 1 (exit code 1).',
    );
    const denied = renderSummary(report({ approval: { command: 'npm publish', by: 'bob', decision: 'denied', ran: false, exitCode: null, outputTail: '' } }));
    expect(denied).toContain('@\u200bbob denied this command; it was not run:\n\n```\nnpm publish\n```');
  });

  it('spells out invisible characters in the command', () => {
    const body = renderPrBody(
      report({ approval: { command: 'echo safe\u202e; rm -rf x', by: 'alice', decision: 'approved', ran: true, exitCode: 0, outputTail: '' } }),
    );
    expect(body).toContain('echo safe\\u{202E}; rm -rf x');
  });
});
