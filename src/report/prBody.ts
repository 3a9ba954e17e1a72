import type { RunReport } from '../records/report.js';
import { PR_MARKER } from '../text/markers.js';
import { approvalSection, budgetSection, checksSection, failuresSection, filesSection, headline, modelSwitchSection } from './evidence.js';
import { continuationLine } from './continuation.js';
import { instructionsSection } from './instructionsSection.js';
import { codeSpan, demoteHeadings, quote } from '../text/format.js';
import { inertBlock, inertInline, inertReferences } from '../text/inertMarkdown.js';

/** Marks our PRs so a later run can tell them from a person's. */

/**
 * The pull request body: what was asked, what changed, what was checked, what
 * is still risky. The task's text and the agent's report are inert markdown:
 * only our own `Closes #N` closes an issue, and nobody is notified.
 */
export function renderPrBody(report: RunReport): string {
  const task = report.task;
  const source =
    task?.source.kind === 'issue' ? `From [#${task.source.number}](${task.source.url}):` : `Asked via ${codeSpan(task?.source.event || 'prompt')}:`;
  const sections = [
    headline(report),
    report.continuation ? continuationLine(report.continuation, report.spent.costUsd) : '',
    ['### Task', '', source, '', quote(inertBlock(task?.instruction.trim() ?? '') || '(no task)')].join('\n'),
    ['### Agent report', '', demoteHeadings(inertBlock(report.finalText.trim())) || '_The agent left no report._'].join('\n'),
    approvalSection(report).join('\n'),
    modelSwitchSection(report).join('\n'),
    filesSection(report).join('\n'),
    checksSection(report).join('\n'),
    instructionsSection(report).join('\n'),
    failuresSection(report).join('\n'),
    report.publication.notes.length > 0 ? ['### Notes', '', ...report.publication.notes.map((note) => `- ${inertInline(note)}`)].join('\n') : '',
    budgetSection(report).join('\n'),
    [report.runUrl ? `[Workflow run](${report.runUrl})` : '', task?.source.kind === 'issue' ? `Closes #${task.source.number}` : '', PR_MARKER]
      .filter((line) => line !== '')
      .join('\n\n'),
  ];
  return sections.filter((section) => section.trim() !== '').join('\n\n');
}

/**
 * The PR title is the task's; a draft PR says "not ready" on its own. A
 * squash merge makes the title a commit message, where `Fixes #1` would close
 * an issue, so closing references in it are broken too.
 */
export function prTitle(report: RunReport): string {
  return inertReferences(report.task?.title ?? 'Nightshift changes');
}
