import { runProcess, type ProcessResult } from '../exec/runProcess.js';
import type { ToolContext } from './types.js';

/**
 * Runs one command line with bash in the workspace, under the run's limits.
 * The command text is the model's or the workflow's, passed as a single
 * argument to `bash -c`: we never splice strings into a shell line ourselves.
 * No profile or rc files: the environment is exactly the scrubbed one.
 */
export function runShell(ctx: ToolContext, command: string): Promise<ProcessResult> {
  return (ctx.exec ?? runProcess)({
    file: 'bash',
    args: ['--noprofile', '--norc', '-c', command],
    cwd: ctx.workspace,
    env: ctx.env,
    timeoutMs: ctx.commandTimeoutMs,
    signal: ctx.signal,
    maxOutputBytes: ctx.maxOutputBytes,
  });
}

/** The bracketed last line of a command's result when it did not simply succeed. */
export function endNote(result: ProcessResult, timeoutMs: number): string | undefined {
  if (result.timedOut) return `[timed out after ${formatSeconds(timeoutMs)}; process group killed]`;
  if (result.aborted) return '[stopped: the run is ending (time budget or cancellation); process group killed]';
  if (result.signalName) return `[killed by ${result.signalName}]`;
  if (result.exitCode !== 0) return `[exit code ${result.exitCode}]`;
  return undefined;
}

/** `30s`, `1.5s`, `0.2s`: limits read as people set them. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
