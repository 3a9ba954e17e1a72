import type { RunReport } from '../records/report.js';
import type { SecretFound } from '../secrets/secretVariants.js';

/**
 * The commit's subject and body, redacted. A message that still carries a
 * secret in some encoding (the redactor masks raw values) gets a plain one:
 * the report stays in the pull request, where the redactor also runs.
 */
export function commitMessage(
  report: RunReport,
  redact: (text: string) => string,
  findSecret: (text: string) => SecretFound | undefined,
  notes: string[],
): { subject: string; body: string } {
  const subject = redact(commitSubject(report));
  const body = redact(commitBody(report));
  if (!findSecret(`${subject}\n${body}`)) return { subject, body };
  notes.push("the agent's report would have put a secret value (encoded) in the commit message, so the message is a plain one");
  return {
    subject: report.task?.source.kind === 'issue' ? `Nightshift changes for #${report.task.source.number}` : 'Nightshift changes',
    body: `Nightshift ${report.status}. Verification: ${report.verification.verdict}.`,
  };
}

function commitSubject(report: RunReport): string {
  const title = report.task?.title ?? 'Nightshift changes';
  return report.status === 'completed' ? title : `WIP (${report.status}): ${title}`;
}

function commitBody(report: RunReport): string {
  const summary = /## Summary\s*\n([\s\S]*?)(\n## |$)/.exec(report.finalText)?.[1]?.trim() ?? report.finalText.split('\n\n')[0] ?? '';
  return [
    summary,
    `Nightshift ${report.status}: ${report.reason}. Verification: ${report.verification.verdict}.`,
    report.task?.source.kind === 'issue' ? `Refs #${report.task.source.number}` : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('\n\n');
}
