import { spawn } from 'node:child_process';
import { OutputCap } from './capOutput.js';

export interface ProcessResult {
  exitCode: number | null;
  signalName: string | null;
  /** stdout and stderr interleaved in arrival order, capped (head and tail kept). */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  truncatedBytes: number;
}

export interface ProcessOptions {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  maxOutputBytes: number;
}

/** Time a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 1_000;

/**
 * Starts a program from an argument array (never a shell line of ours) in a
 * process group of its own, stdin closed. At its time limit or on abort the
 * whole group is killed, so grandchildren (`sleep 100 &`) die too, and the
 * promise settles on the child's exit even if a grandchild holds the pipes.
 */
export function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const cap = new OutputCap(opts.maxOutputBytes);
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(opts.file, opts.args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const finish = (exitCode: number | null, signalName: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Whatever the child left running in its group goes with it.
      killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve({ exitCode, signalName, output: cap.text(), timedOut, aborted, durationMs: performance.now() - started, truncatedBytes: cap.cutBytes });
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);

    child.stdout?.on('data', (chunk: Buffer) => cap.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => cap.push(chunk));
    child.on('error', (error) => {
      cap.push(Buffer.from(`failed to start ${opts.file}: ${error.message}\n`));
      finish(null, null);
    });
    // Let the pipes drain briefly after exit; a grandchild holding them open must not hold us.
    child.on('exit', (code, signal) => setTimeout(() => finish(code, signal), 50).unref());
    child.on('close', (code, signal) => finish(code, signal));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
