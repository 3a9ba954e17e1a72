import type { RunReport } from '../records/report.js';
import type { ModelSwitch } from '../records/session.js';
import { answeredLine, renderAnswer } from './answer.js';
import { continuationLine } from './continuation.js';
import { headline } from './evidence.js';
import { codeSpan } from '../text/format.js';
import { inertInline, inertLines } from '../text/inertMarkdown.js';

/** The comment left on the issue that asked: the outcome and where the work is. Text we did not write goes in inert. */
export function renderIssueComment(report: RunReport): string {
  const pub = report.publication;
  // An answer is the comment itself: the reply first, then one line on what the run did.
  const lines = report.answered ? [renderAnswer(report.finalText), '', `_${answeredLine(report)}_`] : [headline(report), ''];
  if (report.continuation) lines.push(continuationLine(report.continuation, report.spent.costUsd), '');
  // `awaiting` is our markdown, built inert by replyHint.
  if (report.awaiting) lines.push(report.awaiting, '');
  if (!report.answered) lines.push(whereTheWorkIs(report));
  if (report.modelSwitch) lines.push(switchLine(report.modelSwitch));
  for (const note of pub.notes) lines.push(`- ${inertInline(note)}`);
  return lines.join('\n');
}

/** One line: the person who asked should know another model did (part of) the work; the details are in the PR and the summary. */
function switchLine(change: ModelSwitch): string {
  return `- ${codeSpan(change.from)} was unavailable at step ${change.step}, so the run went on with \`fallback_model\` ${codeSpan(change.to)} (details under *Model* in the job summary).`;
}

function whereTheWorkIs(report: RunReport): string {
  const pub = report.publication;
  if (pub.prUrl) return `Pull request: ${pub.prUrl}${pub.draft ? ' (draft)' : ''}`;
  if (pub.compareUrl)
    return `The branch ${codeSpan(pub.branch ?? '')} is pushed, but the pull request could not be opened. Open it in one click: ${pub.compareUrl}`;
  if (pub.branch) return `Branch: ${codeSpan(pub.branch)}`;
  return report.fileChanges.length === 0 ? 'No files were changed, so there is no branch or pull request.' : inertLines(report.reason);
}
