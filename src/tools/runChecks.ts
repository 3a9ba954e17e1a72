import { z } from 'zod';
import { endNote, runShell } from './shell.js';
import type { ToolContext, ToolOutcome } from './types.js';

export const runChecksInput = z.object({});

export interface CheckResult {
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  output: string;
}

/** Runs the declared verification commands in order, each in a fresh shell; all run even when one fails. */
export async function runCheckCommands(ctx: ToolContext, commands: string[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const command of commands) {
    const result = await runShell({ command, cwd: ctx.workspace, env: ctx.env, timeoutMs: ctx.commandTimeoutMs, signal: ctx.signal, maxOutputBytes: ctx.maxOutputBytes });
    const note = endNote(result, ctx.commandTimeoutMs);
    results.push({
      command,
      passed: note === undefined,
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      durationMs: result.durationMs,
      output: [result.output.trimEnd(), note].filter(Boolean).join('\n'),
    });
    if (ctx.signal.aborted) break;
  }
  return results;
}

/** The run_checks tool: the same commands the final gate runs, whenever the agent wants. */
export async function runChecks(ctx: ToolContext): Promise<ToolOutcome> {
  if (ctx.checks.length === 0) return { content: 'No verification commands were declared for this repository.', isError: false };
  const results = await runCheckCommands(ctx, ctx.checks);
  const lines = results.map((result) => {
    const seconds = `${(result.durationMs / 1000).toFixed(1)}s`;
    return result.passed
      ? `✔ ${result.command} (${seconds})`
      : `✘ ${result.command} (${result.timedOut ? 'timed out' : `exit ${result.exitCode}`}, ${seconds})\n${result.output}`;
  });
  const failed = results.filter((result) => !result.passed).length;
  return { content: `${failed === 0 ? 'All checks passed.' : `${failed} of ${results.length} checks failed.`}\n${lines.join('\n')}`, isError: failed > 0 };
}
