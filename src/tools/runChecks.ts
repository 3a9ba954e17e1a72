import { z } from 'zod';
import { danglingContinuationBytes } from '../exec/utf8.js';
import type { CheckResult } from '../records/verification.js';
import { ToolInputError } from './errors.js';
import { endNote, formatSeconds, runShell } from './shell.js';
import type { ToolContext, ToolOutcome } from './types.js';

export const runChecksInput = z.object({
  only: z.array(z.number().int().min(1)).optional().describe('run only these checks (1-based); default all'),
});

/** A result with the short reason the tool prints next to a failure (`exit 1`, `timed out`...). */
interface LabelledResult extends CheckResult {
  label: string;
}

/** Bytes of a failing check's output shown to the model, at least; the end of the output is where the failure is. */
const MIN_TAIL_BYTES = 2_000;
/** A tail starts at a line when one begins this close to the cut. */
const LINE_SNAP_BYTES = 200;
const NOT_RUN = '[not run: the run is ending (time budget or cancellation)]';

/**
 * Runs verification commands in order, each in a fresh shell in the
 * workspace with the per-command time limit. All run even when one fails, so
 * the model sees every problem at once. Once the run is ending the rest are
 * reported as not run (and not passed): there is one result per command, and
 * an empty list can never read as "all passed". The final gate uses this.
 */
export async function runCheckCommands(ctx: ToolContext, commands: string[]): Promise<CheckResult[]> {
  return (await runLabelled(ctx, commands)).map(({ label: _label, ...result }) => result);
}

async function runLabelled(ctx: ToolContext, commands: string[]): Promise<LabelledResult[]> {
  const results: LabelledResult[] = [];
  for (const command of commands) {
    if (ctx.signal.aborted) {
      results.push({ command, passed: false, exitCode: null, timedOut: false, durationMs: 0, output: NOT_RUN, label: 'not run' });
      continue;
    }
    const result = await runShell(ctx, command);
    const note = endNote(result, ctx.commandTimeoutMs);
    const label = result.timedOut ? 'timed out' : result.aborted ? 'stopped' : result.signalName ? `killed by ${result.signalName}` : `exit ${result.exitCode}`;
    results.push({
      command,
      passed: note === undefined,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      output: [result.output.trimEnd(), note].filter(Boolean).join('\n'),
      label,
    });
  }
  return results;
}

/** The run_checks tool: the declared checks, whenever the agent wants to know where it stands. */
export async function runChecks(ctx: ToolContext, input: z.infer<typeof runChecksInput>): Promise<ToolOutcome> {
  if (ctx.checks.length === 0) {
    return { content: 'No verification commands were declared for this repository; nothing to run. Verify with bash instead.', isError: false };
  }
  const results = await runLabelled(ctx, selectChecks(ctx.checks, input.only));
  const failures = results.filter((result) => !result.passed).length;
  // The failures share the output budget one command gets.
  const tailBytes = Math.max(MIN_TAIL_BYTES, Math.floor(ctx.maxOutputBytes / Math.max(1, failures)));
  const lines = results.map((result) => {
    const seconds = formatSeconds(result.durationMs);
    if (result.passed) return `✔ ${result.command} (${seconds})`;
    return `✘ ${result.command} (${result.label}, ${seconds})\n${tail(result.output, tailBytes)}`;
  });
  return { content: [summarize(results.length, failures), ...lines].join('\n'), isError: failures > 0 };
}

function summarize(total: number, failures: number): string {
  if (total === 1) return failures === 0 ? 'The check passed.' : 'The check failed.';
  return failures === 0 ? `All ${total} checks passed.` : `${failures} of ${total} checks failed.`;
}

function selectChecks(checks: string[], only: number[] | undefined): string[] {
  if (!only || only.length === 0) return checks;
  return only.map((number) => {
    const check = checks[number - 1];
    if (check === undefined) {
      const known = checks.map((command, index) => `${index + 1}: ${command}`).join('; ');
      throw new ToolInputError(`run_checks has no check ${number}; the declared checks are ${known}`);
    }
    return check;
  });
}

/** The end of a failing check's output, from a line start where possible, saying how much came before. */
function tail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - maxBytes;
  const newline = bytes.indexOf(10, start);
  if (newline !== -1 && newline - start < LINE_SNAP_BYTES && newline < bytes.length - 1) start = newline + 1;
  else start += danglingContinuationBytes(bytes.subarray(start));
  return `[… ${start} earlier bytes not shown …]\n${bytes.subarray(start).toString('utf8')}`;
}
