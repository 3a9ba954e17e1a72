import type { RunReport } from '../records/report.js';
import { headline } from './evidence.js';
import { codeSpan } from '../text/format.js';
import { inertInline, inertLines } from '../text/inertMarkdown.js';

/** The comment left on the issue that asked: the outcome and where the work is. Text we did not write goes in inert. */
export function renderIssueComment(report: RunReport): string {
  const pub = report.publication;
  const lines = [headline(report), ''];
  // `awaiting` is our markdown, built inert by replyHint.
  if (report.awaiting) lines.push(report.awaiting, '');
  if (pub.prUrl) lines.push(`Pull request: ${pub.prUrl}${pub.draft ? ' (draft)' : ''}`);
  else if (pub.compareUrl)
    lines.push(`The branch ${codeSpan(pub.branch ?? '')} is pushed, but the pull request could not be opened. Open it in one click: ${pub.compareUrl}`);
  else if (pub.branch) lines.push(`Branch: ${codeSpan(pub.branch)}`);
  else lines.push(report.fileChanges.length === 0 ? 'No files were changed, so there is no branch or pull request.' : inertLines(report.reason));
  for (const note of pub.notes) lines.push(`- ${inertInline(note)}`);
  return lines.join('\n');
}
