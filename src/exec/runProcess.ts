import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { capOutput } from './capOutput.js';
import { incompleteTailStart } from './utf8.js';

export interface ProcessResult {
  /** null when the process was killed by a signal or could not start. */
  exitCode: number | null;
  signalName: string | null;
  /** stdout and stderr interleaved in arrival order, capped (head and tail kept). */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** Bytes cut from the middle of the output (0 when it all fitted). */
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
  /** Run as this user and group (the box's keeper, which is root, drops to the agent's user). */
  uid?: number;
  gid?: number;
}

/** Time a process group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 1_000;
/**
 * After the child exits (and its group is killed) the pipes normally close at
 * once; a process that left the group (setsid, a daemon) may hold them open
 * forever, so we stop waiting for them after this long.
 */
const DRAIN_MS = 250;
/** setTimeout fires at once beyond this (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Starts a program from an argument array (never a shell line of ours) in a
 * process group of its own, stdin closed. At its time limit or on abort the
 * whole group is killed, so grandchildren (`sleep 100 &`) die too; whatever
 * the group still runs when the child exits is killed as well, so no command
 * leaves work running behind the agent's back. Never rejects, never hangs.
 */
export function runProcess(opts: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  if (opts.signal?.aborted) {
    return Promise.resolve({ exitCode: null, signalName: null, output: '', timedOut: false, aborted: true, durationMs: 0, truncatedBytes: 0 });
  }
  return new Promise((resolve) => {
    const child = startInGroup(opts);
    const killGroup = groupKiller(child);
    const limits = armLimits(opts, killGroup);
    const output = collectOutput(child, opts.maxOutputBytes);
    let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    let drainTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const finish = (): void => {
      if (settled) return;
      settled = true;
      limits.release();
      clearTimeout(drainTimer);
      const { text, cutBytes } = output.close();
      resolve({
        exitCode: exit.code,
        signalName: exit.signal,
        output: text,
        timedOut: limits.timedOut,
        aborted: limits.aborted,
        durationMs: performance.now() - started,
        truncatedBytes: cutBytes,
      });
    };
    child.on('error', (error) => {
      // Spawn failures (ENOENT, EACCES, a missing cwd) come here, and no 'exit' follows.
      output.note(`failed to start ${opts.file} in ${opts.cwd}: ${error.message}\n`);
      finish();
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // It ended on its own terms: a limit reached while the pipes drain must not relabel it.
      limits.disarm();
      // Background jobs the command left die with it; then the pipes close and 'close' settles.
      killGroup('SIGKILL');
      drainTimer = setTimeout(finish, DRAIN_MS);
    });
    child.on('close', finish);
  });
}

/** The program in a process group of its own (detached), so that one signal to the group reaches everything it starts. */
function startInGroup(opts: ProcessOptions): ChildProcess {
  // libuv clears supplementary groups when it sets uid/gid, so the dropped process keeps none of root's.
  return spawn(opts.file, opts.args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.gid });
}

function groupKiller(child: ChildProcess): (signal: NodeJS.Signals) => void {
  return (signal) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
}

/** The time limit and the abort signal, and which of them (if any) stopped the process. */
interface Limits {
  readonly timedOut: boolean;
  readonly aborted: boolean;
  /** The process exited: no limit may fire from now on (a pending SIGKILL escalation still may). */
  disarm(): void;
  /** Everything cleared, the SIGKILL escalation too. */
  release(): void;
}

/**
 * Either limit stops the group with SIGTERM, then SIGKILL after a grace, so a
 * command that cleans up on TERM gets to, and one that ignores it dies anyway.
 */
function armLimits(opts: ProcessOptions, killGroup: (signal: NodeJS.Signals) => void): Limits {
  const state = { timedOut: false, aborted: false };
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    killGroup('SIGTERM');
    killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
  };
  const onAbort = (): void => {
    state.aborted = true;
    stop();
  };
  const timer = setTimeout(
    () => {
      state.timedOut = true;
      stop();
    },
    Math.min(Math.max(0, opts.timeoutMs), MAX_TIMER_MS),
  );
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const disarm = (): void => {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
  };
  return {
    get timedOut() {
      return state.timedOut;
    },
    get aborted() {
      return state.aborted;
    },
    disarm,
    release: () => {
      disarm();
      clearTimeout(killTimer);
    },
  };
}

/**
 * stdout and stderr into one capped output, in arrival order. `note` adds a
 * line of ours; `close` stops reading (a pipe a stray process still holds
 * is let go) and returns what was kept.
 */
function collectOutput(child: ChildProcess, maxOutputBytes: number): { note(text: string): void; close(): { text: string; cutBytes: number } } {
  const cap = capOutput(maxOutputBytes);
  const flushers = [collect(child.stdout, cap.push), collect(child.stderr, cap.push)];
  return {
    note: (text) => cap.push(Buffer.from(text)),
    close: () => {
      child.stdout?.destroy();
      child.stderr?.destroy();
      for (const flush of flushers) flush();
      return cap.finish();
    },
  };
}

/**
 * Feeds a pipe into `push`, holding back a character split between chunks so
 * that stdout and stderr interleaving never breaks one; returns a function
 * that pushes whatever is still held back.
 */
function collect(stream: Readable | null, push: (chunk: Uint8Array) => void): () => void {
  let pending: Buffer = Buffer.alloc(0);
  stream?.on('data', (chunk: Buffer) => {
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    const end = incompleteTailStart(bytes);
    pending = Buffer.from(bytes.subarray(end));
    if (end > 0) push(bytes.subarray(0, end));
  });
  // A stream destroyed by us may still emit 'error'; it carries nothing the result needs.
  stream?.on('error', () => undefined);
  return () => {
    if (pending.length > 0) push(pending);
    pending = Buffer.alloc(0);
  };
}
