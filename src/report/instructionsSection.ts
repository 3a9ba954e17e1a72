import type { RunReport } from '../records/report.js';
import { codeSpan } from '../text/format.js';
import { inertInline } from '../text/inertMarkdown.js';

/** Which instructions the model was given: the same lines in the PR body and the summary. */
export function instructionsSection(report: RunReport): string[] {
  const record = report.instructions;
  if (!record || (record.files.length === 0 && !record.workflow && record.notes.length === 0)) return [];
  const cut = (isCut: boolean) => (isCut ? ' — cut at the size limit' : '');
  const lines = ['### Instructions', ''];
  if (record.base && record.files.length > 0)
    lines.push(`Applied from the base branch ${codeSpan(record.base.branch)} at \`${record.base.commit.slice(0, 12)}\`:`, '');
  for (const file of record.files) {
    const where = file.nested ? ` (nested: for ${codeSpan(`${file.path.slice(0, file.path.lastIndexOf('/'))}/`)})` : '';
    lines.push(`- ${codeSpan(file.path)}${where}${cut(file.cut)}`);
  }
  if (record.workflow) lines.push(`- workflow instructions (the ${codeSpan('instructions')} input)${cut(record.workflow.cut)}`);
  for (const note of record.notes) lines.push(`- ${inertInline(note)}`);
  return lines;
}
