import { runProcess, type ProcessResult } from '../exec/runProcess.js';

/**
 * Runs one command line with bash in the workspace. The command text is the
 * model's or the workflow's, passed as a single argument to `bash -c`: we
 * never splice strings into a shell line ourselves.
 */
export function runShell(opts: { command: string; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; signal: AbortSignal; maxOutputBytes: number }): Promise<ProcessResult> {
  return runProcess({
    file: 'bash',
    args: ['--noprofile', '--norc', '-c', opts.command],
    cwd: opts.cwd,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    signal: opts.signal,
    maxOutputBytes: opts.maxOutputBytes,
  });
}

/** The last line a command's result ends with when it did not simply succeed. */
export function endNote(result: ProcessResult, timeoutMs: number): string | undefined {
  if (result.timedOut) return `[timed out after ${Math.round(timeoutMs / 1000)}s; process group killed]`;
  if (result.aborted) return '[stopped: the run is ending (time budget or cancellation); process group killed]';
  if (result.signalName) return `[killed by ${result.signalName}]`;
  if (result.exitCode !== 0) return `[exit code ${result.exitCode}]`;
  return undefined;
}
