import * as core from '@actions/core';
import { billedTokens } from '../model/usage.js';
import type { RunReport } from '../report.js';
import { cell, formatDuration, formatTokens, formatUsd, quote, STATUS_LABEL } from './format.js';

/** The job summary as markdown: readable by a maintainer who was not there. */
export function renderSummary(report: RunReport): string {
  const lines: string[] = [`## Nightshift: ${STATUS_LABEL[report.status] ?? report.status}`, '', report.reason, ''];
  if (report.task) lines.push('### Task', '', quote(report.task.instruction), '');
  lines.push(...budgetTable(report), '');
  lines.push('### Files changed', '');
  lines.push(...(report.changedFiles.length > 0 ? report.changedFiles.map((file) => `- \`${file}\``) : ['No files changed.']), '');
  if (report.finalText) lines.push('### Agent report', '', report.finalText, '');
  if (report.steps.length > 0) {
    lines.push('<details><summary>Step log</summary>', '', '| step | model | tools | tokens | cost | actions |', '| --: | --: | --: | --: | --: | --- |');
    for (const step of report.steps) {
      const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '✔'} ${call.summary}`).join('<br>') || '(reply)';
      lines.push(
        `| ${step.index} | ${formatDuration(step.modelMs)} | ${formatDuration(step.toolMs)} | ${formatTokens(billedTokens(step.usage))} | ${formatUsd(step.costUsd)} | ${cell(actions)} |`,
      );
    }
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}

function budgetTable(report: RunReport): string[] {
  const { spent, limits } = report;
  const rows = [
    ['steps', String(spent.steps), limits ? String(limits.maxSteps) : '—'],
    ['minutes', (spent.elapsedMs / 60_000).toFixed(2), limits ? String(limits.maxMinutes) : '—'],
    ['tokens', formatTokens(spent.tokens), limits ? formatTokens(limits.maxTokens) : '—'],
    ['dollars', formatUsd(spent.costUsd), limits ? formatUsd(limits.maxCostUsd) : '—'],
  ];
  return [
    '### Budget',
    '',
    '| budget | used | limit |',
    '| --- | --: | --: |',
    ...rows.map(([name, used, limit]) => `| ${name}${report.stoppedBy === budgetKey(name) ? ' (ran out)' : ''} | ${used} | ${limit} |`),
  ];
}

function budgetKey(row: string | undefined): string {
  return row === 'dollars' ? 'cost' : (row ?? '');
}

export async function writeSummary(report: RunReport): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(renderSummary(report)).write();
}
