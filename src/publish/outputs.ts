import * as core from '@actions/core';
import type { RunReport } from '../report.js';

/** The step's outputs, as action.yml declares them. */
export function outputsOf(report: RunReport): Record<string, string> {
  const spent = report.spent;
  return {
    status: report.status,
    stopped_by: report.stoppedBy ?? '',
    steps: String(spent.steps),
    input_tokens: String(spent.usage.input + spent.usage.cacheWrite + spent.usage.cacheRead),
    output_tokens: String(spent.usage.output),
    cost_usd: spent.costUsd.toFixed(4),
    minutes: (spent.elapsedMs / 60_000).toFixed(2),
  };
}

export function writeOutputs(report: RunReport): void {
  // Outside Actions (the local entry, the demo) there is no GITHUB_OUTPUT to write to.
  if (!process.env.GITHUB_OUTPUT) return;
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value);
}
