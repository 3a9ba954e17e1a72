import type { RunReport } from '../report.js';

/** Shapes of credentials worth masking even when we were never told their value. */
const TOKEN_SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bsk-ant-[A-Za-z0-9_-]{20,}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];

export type Redactor = (text: string) => string;

/**
 * One redactor for everything the run publishes: every known secret value
 * (longest first, so a secret containing another is masked whole) and
 * common token shapes become `***`.
 */
export function createRedactor(secrets: Array<string | undefined>): Redactor {
  const values = [...new Set(secrets.filter((value): value is string => !!value && value.length >= 6))].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of values) result = result.split(value).join('***');
    for (const shape of TOKEN_SHAPES) result = result.replace(shape, '***');
    return result;
  };
}

/** The report with every free-text field a user will see passed through the redactor. */
export function redactReport(report: RunReport, redact: Redactor): RunReport {
  return {
    ...report,
    reason: redact(report.reason),
    finalText: redact(report.finalText),
    awaiting: report.awaiting === undefined ? undefined : redact(report.awaiting),
    task: report.task ? { ...report.task, title: redact(report.task.title), instruction: redact(report.task.instruction) } : undefined,
    steps: report.steps.map((step) => ({ ...step, toolCalls: step.toolCalls.map((call) => ({ ...call, summary: redact(call.summary) })) })),
    publication: { ...report.publication, notes: report.publication.notes.map(redact) },
  };
}
