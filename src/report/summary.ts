import { appendFile } from 'node:fs/promises';
import { billedTokens } from '../model/usage.js';
import { boxSection } from './boxSection.js';
import { doctorSummary } from './doctorSection.js';
import { instructionsSection } from './instructionsSection.js';
import type { RunReport } from '../records/report.js';
import { answeredLine } from './answer.js';
import { continuationLine } from './continuation.js';
import { approvalSection, budgetSection, checksSection, failuresSection, filesSection, headline, modelSwitchSection } from './evidence.js';
import { cell, codeSpan, demoteHeadings, formatDuration, formatTokens, formatUsd, quote } from '../text/format.js';
import { inertBlock, inertInline, inertLines } from '../text/inertMarkdown.js';

/**
 * The job summary: the same evidence as the PR, plus where the work went and
 * how each step went. Text we did not write goes in inert, as in the PR body.
 */
export function renderSummary(report: RunReport): string {
  if (report.status === 'refused') return `## Nightshift: ⛔ refused\n\n${inertLines(report.reason)}. No model call was made and nothing was changed.\n`;
  if (report.doctor) return doctorSummary(report.doctor, report.reason);
  if (report.plan) return `## Nightshift plan\n\n${inertLines(report.reason)}.\n\n${planSection(report)}\n`;
  const sections = [
    // The headline of an unfinished run already carries its reason.
    `## Nightshift\n\n${headline(report)}${report.status === 'completed' ? `\n\n${inertLines(report.reason)}.` : ''}`,
    report.continuation ? continuationLine(report.continuation, report.spent.costUsd) : '',
    report.answered ? `### Answer\n\n${answeredLine(report)}\n\n${quote(inertBlock(report.finalText.trim()))}` : '',
    // Our markdown, built inert by replyHint.
    report.awaiting ?? '',
    report.task ? `### Task\n\n${quote(inertBlock(report.task.instruction.trim()))}` : '',
    approvalSection(report).join('\n'),
    publicationSection(report),
    modelSwitchSection(report).join('\n'),
    boxSection(report),
    instructionsSection(report).join('\n'),
    checksSection(report).join('\n'),
    budgetSection(report).join('\n'),
    filesSection(report).join('\n'),
    failuresSection(report).join('\n'),
    report.finalText && !report.answered ? `<details><summary>Agent report</summary>\n\n${demoteHeadings(inertBlock(report.finalText))}\n\n</details>` : '',
    stepLog(report),
    stepChart(report),
  ];
  return `${sections.filter((section) => section.trim() !== '').join('\n\n')}\n`;
}

function planSection(report: RunReport): string {
  if (!report.plan) return '';
  const { items, skipped } = report.plan;
  const rows = items.map(
    (item) => `| ${cell(codeSpan(item.key))} | ${item.issue_number ? `#${item.issue_number}` : 'tasks file'} | ${cell(inertInline(item.title))} |`,
  );
  return [
    '### Work items',
    '',
    items.length > 0 ? ['| key | from | title |', '| --- | --- | --- |', ...rows].join('\n') : 'No work items found.',
    ...(skipped.length > 0
      ? ['', 'Left out because an open pull request already carries them:', ...skipped.map((item) => `- ${codeSpan(item.key)}: ${inertInline(item.pr)}`)]
      : []),
  ].join('\n');
}

function publicationSection(report: RunReport): string {
  const { publication: pub } = report;
  const lines = ['### Result', ''];
  if (pub.prUrl) lines.push(`- Pull request: [#${pub.prNumber}](${pub.prUrl})${pub.draft ? ' (draft)' : ''}`);
  if (pub.branch) lines.push(`- Branch: ${codeSpan(pub.branch)}${pub.commit ? ` at \`${pub.commit.slice(0, 12)}\`` : ''}`);
  if (pub.compareUrl) lines.push(`- Open the pull request in one click: ${pub.compareUrl}`);
  if (report.transcriptPath) lines.push(`- Transcript: ${codeSpan(report.transcriptPath)} (uploaded as a workflow artifact)`);
  if (!pub.branch && report.fileChanges.length === 0) lines.push('- No files changed, so no branch was pushed and no pull request opened.');
  for (const note of pub.notes) lines.push(`- ${inertInline(note)}`);
  return lines.length > 2 ? lines.join('\n') : '';
}

function stepLog(report: RunReport): string {
  if (report.steps.length === 0) return '';
  const rows = report.steps.map((step) => {
    const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '✔'} ${inertInline(call.summary)}`).join('<br>') || '(reply)';
    return `| ${step.index} | ${formatDuration(step.modelMs)} | ${formatDuration(step.toolMs)} | ${formatTokens(billedTokens(step.usage))} | ${formatUsd(step.costUsd)} | ${cell(actions)} |`;
  });
  return [
    '<details><summary>Step log</summary>',
    '',
    '| step | model | tools | tokens | cost | actions |',
    '| --: | --: | --: | --: | --: | --- |',
    ...rows,
    '',
    '</details>',
  ].join('\n');
}

/** Seconds and thousands of tokens per step, as a Mermaid chart GitHub renders in markdown. */
function stepChart(report: RunReport): string {
  if (report.steps.length < 2) return '';
  const labels = report.steps.map((step) => String(step.index)).join(', ');
  const seconds = report.steps.map((step) => ((step.modelMs + step.toolMs + step.ownMs) / 1000).toFixed(1)).join(', ');
  const tokens = report.steps.map((step) => (billedTokens(step.usage) / 1000).toFixed(1)).join(', ');
  return [
    '<details><summary>Time and tokens per step</summary>',
    '',
    '```mermaid',
    'xychart-beta',
    '  title "Seconds (bars) and thousands of tokens (line) per step"',
    `  x-axis "step" [${labels}]`,
    '  y-axis "seconds / k tokens"',
    `  bar [${seconds}]`,
    `  line [${tokens}]`,
    '```',
    '',
    '</details>',
  ].join('\n');
}

export async function writeSummary(report: RunReport, env: NodeJS.ProcessEnv): Promise<void> {
  // A skipped event is one log line, nothing more: most events on a busy repository do not ask.
  if (!env.GITHUB_STEP_SUMMARY || report.status === 'skipped') return;
  await appendFile(env.GITHUB_STEP_SUMMARY, renderSummary(report));
}
