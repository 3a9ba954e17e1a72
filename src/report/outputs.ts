import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { RunReport } from '../records/report.js';
import { doctorOutput } from './doctorSection.js';

/** The step's outputs, as action.yml declares them. */
export function outputsOf(report: RunReport): Record<string, string> {
  const { spent, publication } = report;
  return {
    status: report.status,
    stopped_by: report.stoppedBy ?? '',
    verified: report.verification.verdict,
    answered: report.answered ? 'true' : 'false',
    branch: publication.branch ?? '',
    pr_number: publication.prNumber ? String(publication.prNumber) : '',
    pr_url: publication.prUrl ?? '',
    // The model the run ended on: fallback_model once the run switched to it.
    model: report.modelSwitch?.to ?? report.model ?? '',
    steps: String(spent.steps),
    input_tokens: String(spent.usage.input + spent.usage.cacheWrite + spent.usage.cacheRead),
    output_tokens: String(spent.usage.output),
    cost_usd: spent.costUsd.toFixed(4),
    minutes: (spent.elapsedMs / 60_000).toFixed(2),
    // The file is named after its artifact (transcriptName), unique per job, matrix entry and attempt.
    transcript: report.transcriptPath ? basename(report.transcriptPath, '.jsonl') : '',
    transcript_path: report.transcriptPath ?? '',
    matrix: report.plan ? JSON.stringify({ include: report.plan.items }) : '',
    count: report.plan ? String(report.plan.items.length) : '',
    doctor: doctorOutput(report.doctor),
  };
}

/**
 * Writes the outputs to the step's GITHUB_OUTPUT file in the runner's
 * multi-line form (a random delimiter no value can contain). Outside Actions
 * (the local entry, the demo) there is no file to write to.
 */
export async function writeOutputs(report: RunReport, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputsOf(report)).map(([name, value]) => {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  });
  await appendFile(env.GITHUB_OUTPUT, lines.join(''));
}
