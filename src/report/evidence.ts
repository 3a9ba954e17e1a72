import { billedTokens } from '../model/usage.js';
import type { RunReport } from '../records/report.js';
import { tail } from '../verify/gate.js';
import { cell, codeBlock, codeSpan, formatDuration, formatTokens, formatUsd, revealInvisible, STATUS_LABEL } from '../text/format.js';
import { inertInline, inertLines, inertReferences } from '../text/inertMarkdown.js';
import { sensitiveChanges } from './sensitiveChanges.js';

/**
 * Markdown sections shared by the pull request body and the job summary, so
 * both tell the same story from the same data. Every text the model, an issue
 * or the repository's code controls goes in inert (`inertInline`, `codeSpan`,
 * `codeBlock`): it cannot notify, close issues, or break out of its place.
 */

const CHECK_TAIL_CHARS = 3_000;

export function headline(report: RunReport): string {
  const verdict = report.verification.verdict;
  const state = report.answered
    ? 'Answered in the thread: no files were changed, so there is no branch or pull request.'
    : report.status === 'completed' && verdict === 'passed'
      ? 'Ready for review: every check passed.'
      : report.status === 'completed' && verdict === 'unverified'
        ? 'Draft: no verification commands were declared, so this work is **unverified**.'
        : report.status === 'declined'
          ? `Draft: ${inertLines(report.reason)}. Nothing it asked for after that was run; the work before it is kept here for review. Rephrasing the task, or running it with another model, may help.`
          : `Draft: ${inertLines(report.reason)}.`;
  return `**${STATUS_LABEL[report.status] ?? report.status}** — ${state}`;
}

export function filesSection(report: RunReport): string[] {
  if (report.fileChanges.length === 0) return ['### Files changed', '', 'No files changed.'];
  const rows = report.fileChanges.map(
    (file) => `| ${cell(codeSpan(file.path))}${file.status === 'D' ? ' (deleted)' : file.status === 'A' ? ' (new)' : ''} | +${file.added} | −${file.deleted} |`,
  );
  const flagged = sensitiveChanges(report.fileChanges);
  const warning =
    flagged.length === 0
      ? []
      : [
          '',
          `> [!WARNING]`,
          `> This change touches tests, test configuration or CI — a change there can make checks pass without fixing anything. Review these first:`,
          ...flagged.map((item) => `> - ${codeSpan(item.path)} (${item.kind}${item.deleted ? ', **deleted**' : ''})`),
        ];
  return ['### Files changed', '', '| file | added | removed |', '| --- | --: | --: |', ...rows, ...warning];
}

export function checksSection(report: RunReport): string[] {
  const { verification } = report;
  if (verification.commands.length === 0) {
    return ['### Checks', '', 'No verification commands were declared (`verify` input), so nothing was checked: **unverified**.'];
  }
  if (verification.skipped) {
    return [
      '### Checks',
      '',
      `The gate was skipped: ${verification.skipped}. The result is **unverified**: it claims nothing about the code.`,
      '',
      ...verification.commands.map((command) => `- ${codeSpan(command)} — not run`),
    ];
  }
  const last = verification.runs.at(-1);
  if (!last) {
    return [
      '### Checks',
      '',
      `The checks did not run: ${inertLines(report.reason)}.`,
      '',
      ...verification.commands.map((command) => `- ${codeSpan(command)} — not run`),
    ];
  }
  const lines = [
    '### Checks',
    '',
    `Verification attempt ${last.attempt}${verification.runs.length > 1 ? ` (of ${verification.runs.length} made)` : ''}:`,
    '',
    '| check | result | time |',
    '| --- | --- | --: |',
    ...last.results.map(
      (result) =>
        `| ${cell(codeSpan(result.command))} | ${result.passed ? '✅ passed' : result.timedOut ? '⏱️ timed out' : `❌ failed (exit ${result.exitCode})`} | ${formatDuration(result.durationMs)} |`,
    ),
  ];
  for (const result of last.results.filter((item) => !item.passed)) {
    lines.push(
      '',
      `<details><summary>Output of <code>${inertReferences(escapeHtml(result.command))}</code> (last lines)</summary>`,
      '',
      codeBlock(inertReferences(tail(result.output.trim(), CHECK_TAIL_CHARS))),
      '',
      '</details>',
    );
  }
  return lines;
}

export function failuresSection(report: RunReport): string[] {
  const failedCalls = report.steps.flatMap((step) =>
    step.toolCalls.filter((call) => call.isError).map((call) => `step ${step.index}: ${inertInline(call.summary)} (failed)`),
  );
  const earlierRuns = report.verification.runs.slice(0, -1).map(
    (run) =>
      `verification attempt ${run.attempt}: ${run.results
        .filter((result) => !result.passed)
        .map((result) => codeSpan(result.command))
        .join(', ')} failed`,
  );
  const items = [...earlierRuns, ...failedCalls.slice(-10)];
  if (items.length === 0) return [];
  const more = failedCalls.length > 10 ? [`- … and ${failedCalls.length - 10} earlier failed tool calls (see the transcript)`] : [];
  return ['### Failures met during the run', '', ...items.map((item) => `- ${cell(item)}`), ...more];
}

export function budgetSection(report: RunReport): string[] {
  const { spent, limits } = report;
  const rows: Array<[string, string, string, string]> = [
    ['steps', 'steps', String(spent.steps), limits ? String(limits.maxSteps) : '—'],
    ['minutes', 'minutes', (spent.elapsedMs / 60_000).toFixed(2), limits ? String(limits.maxMinutes) : '—'],
    ['tokens', 'tokens', formatTokens(billedTokens(spent.usage)), limits ? formatTokens(limits.maxTokens) : '—'],
    ['cost', 'dollars', `${formatUsd(spent.costUsd)}${dollarsByModel(report)}`, limits ? formatUsd(limits.maxCostUsd) : '—'],
  ];
  return [
    '### Budget',
    '',
    '| budget | used | limit |',
    '| --- | --: | --: |',
    ...rows.map(([key, label, used, limit]) => `| ${label}${report.stoppedBy === key ? ' — **ran out**' : ''} | ${used} | ${limit} |`),
    ...costByModel(report),
  ];
}

/** With two models (a switch to fallback_model), the dollars of each, at its own price: ` (`a` $0.01 + `b` $0.002)`. */
function dollarsByModel(report: RunReport): string {
  const models = report.spent.byModel ?? [];
  if (models.length < 2) return '';
  return ` (${models.map((spend) => `${codeSpan(spend.model)} ${formatUsd(spend.costUsd)}`).join(' + ')})`;
}

/** Under the budget table, with two models: what each one's replies were, in number and tokens. */
function costByModel(report: RunReport): string[] {
  const models = report.spent.byModel ?? [];
  if (models.length < 2) return [];
  const parts = models.map(
    (spend) => `${codeSpan(spend.model)} ${spend.replies} (${formatTokens(billedTokens(spend.usage))} tokens, ${formatUsd(spend.costUsd)})`,
  );
  return ['', `Replies by model, each priced at its own model's rate: ${parts.join(', ')}.`];
}

/** The API's words can be long (a gateway's HTML page): the sentence keeps their start. */
const SWITCH_ERROR_CHARS = 300;

/** The run moved to fallback_model: when, after which failure, from which model to which. */
export function modelSwitchSection(report: RunReport): string[] {
  const change = report.modelSwitch;
  if (!change) return [];
  const error = change.error.length > SWITCH_ERROR_CHARS ? `${change.error.slice(0, SWITCH_ERROR_CHARS)}…` : change.error;
  const when = change.at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const answered = report.spent.byModel?.some((spend) => spend.model === change.to) ?? false;
  return [
    '### Model',
    '',
    `Switched from ${codeSpan(change.from)} to ${codeSpan(change.to)} (\`fallback_model\`) at step ${change.step}, ${when}, after ${codeSpan(change.from)} failed with ${codeSpan(error)}. ` +
      (answered
        ? `The request of step ${change.step} was sent again to ${codeSpan(change.to)} from the same conversation, and the run stayed on it.`
        : `${codeSpan(change.to)} gave no reply: the run ended at that step, as the headline says.`),
  ];
}

/** The command a person approved or denied on a paused session: who, what, and what came of it. */
export function approvalSection(report: RunReport): string[] {
  const approval = report.approval;
  if (!approval) return [];
  const who = inertInline(`@${approval.by}`);
  if (approval.decision === 'denied')
    return ['### Approval', '', `${who} denied this command; it was not run:`, '', codeBlock(revealInvisible(approval.command))];
  if (!approval.ran) {
    return [
      '### Approval',
      '',
      `${who} approved this command, but it did not run (${inertInline(approval.endNote ?? 'the run was ending')}):`,
      '',
      codeBlock(revealInvisible(approval.command)),
    ];
  }
  const exit = approval.exitCode === null ? 'It ended without an exit code' : `It exited with code ${approval.exitCode}`;
  return [
    '### Approval',
    '',
    `${who} approved this command; it ran when the session resumed:`,
    '',
    codeBlock(revealInvisible(approval.command)),
    '',
    ...(approval.blockedBy ? [`It matches ${codeSpan(approval.blockedBy)} of \`blocked_commands\`: it ran because a person approved it.`, ''] : []),
    `${exit}${approval.endNote ? ` (${inertInline(approval.endNote)})` : ''}.`,
    '',
    '<details><summary>Output (last lines)</summary>',
    '',
    codeBlock(inertReferences(tail(approval.outputTail.trim(), CHECK_TAIL_CHARS) || '(no output)')),
    '',
    '</details>',
  ];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
