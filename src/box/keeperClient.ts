import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProcessOptions, ProcessResult } from '../exec/runProcess.js';
import { asRootArgv, rootEnv, runAsRoot, type RootAccess } from './privilege.js';
import { fromKeeper, parseLine, type FromKeeper, type ToKeeper } from './protocol.js';

const START_MS = 20_000;
const CLOSE_MS = 5_000;

/** What the keeper said when it closed: how many processes it killed, and how many were still there. */
export interface KeeperClosed {
  killed: number;
  left: number;
  /** The keeper did not answer: it crashed or hung, and was killed from outside. */
  lost?: string;
}

/**
 * The action's end of the box: starts the keeper as root inside new PID and
 * mount namespaces (and a network namespace unless the network is open),
 * sends it commands and hands back their results. Holds real state (the
 * keeper process, the commands in flight), hence a class.
 */
export class KeeperClient {
  private nextId = 1;
  private readonly pending = new Map<number, (result: ProcessResult) => void>();
  private closedWith?: (closed: KeeperClosed) => void;
  private gone?: string;
  /** Processes the keeper killed after commands, because a command left them running. */
  strays = 0;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly access: RootAccess,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(opts: {
    access: RootAccess;
    env: NodeJS.ProcessEnv;
    /** node and the bundle that holds the keeper (`--box-keeper`). */
    entry: { node: string; script: string };
    agent: { uid: number; gid: number };
    ownNetwork: boolean;
    forwardTo?: string;
  }): Promise<{ keeper: KeeperClient; proxyPort?: number }> {
    const argv = [
      'unshare',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
      ...(opts.ownNetwork ? ['--net'] : []),
      '--',
      opts.entry.node,
      opts.entry.script,
      '--box-keeper',
    ];
    const { file, args } = asRootArgv(opts.access, argv);
    const child = spawn(file, args, { cwd: '/', env: rootEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const keeper = new KeeperClient(child, opts.access, opts.env);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const ready = new Promise<number | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the box's keeper did not start within ${START_MS / 1000}s`)), START_MS);
      keeper.onReady = (port) => {
        clearTimeout(timer);
        resolve(port);
      };
      keeper.onFailure = (why) => {
        clearTimeout(timer);
        reject(new Error(why));
      };
    });
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => keeper.receive(line));
    child.on('error', (error) => keeper.lose(`${file} could not start: ${error.message}`));
    // 'close' comes after stdout is read to its end, so a last `closed` line is never lost.
    child.on('close', (code, signal) => keeper.lose(`the box's keeper exited (${signal ?? `exit ${code}`})${stderr.trim() ? `: ${stderr.trim()}` : ''}`));
    keeper.send({ type: 'start', uid: opts.agent.uid, gid: opts.agent.gid, ownNetwork: opts.ownNetwork, forwardTo: opts.forwardTo });
    try {
      return { keeper, proxyPort: await ready };
    } catch (error) {
      await keeper.close();
      throw error;
    }
  }

  private onReady: (port: number | undefined) => void = () => undefined;
  private onFailure: (why: string) => void = () => undefined;

  /** Runs one command in the box, as runProcess would here: never rejects, never hangs past its limits. */
  exec(opts: ProcessOptions): Promise<ProcessResult> {
    if (opts.signal?.aborted || this.gone) return Promise.resolve(notRun(this.gone ?? undefined, opts.signal?.aborted ?? false));
    const id = this.nextId++;
    const env = Object.fromEntries(Object.entries(opts.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    return new Promise((resolve) => {
      const onAbort = (): void => this.send({ type: 'kill', id });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, (result) => {
        opts.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      });
      this.send({ type: 'run', id, file: opts.file, args: opts.args, cwd: opts.cwd, env, timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes });
    });
  }

  /** Empties the box and ends it; safe to call twice. */
  async close(): Promise<KeeperClosed> {
    if (this.gone) return { killed: 0, left: 0, lost: this.gone === CLOSED ? undefined : this.gone };
    const closed = new Promise<KeeperClosed>((resolve) => (this.closedWith = resolve));
    this.send({ type: 'close' });
    const timeout = new Promise<KeeperClosed>((resolve) =>
      setTimeout(() => resolve({ killed: 0, left: -1, lost: `the keeper did not close within ${CLOSE_MS / 1000}s` }), CLOSE_MS).unref(),
    );
    const result = await Promise.race([closed, timeout]);
    if (result.lost) await this.killFromOutside();
    this.gone = CLOSED;
    return result;
  }

  private receive(line: string): void {
    let message: FromKeeper;
    try {
      message = parseLine(fromKeeper, line);
    } catch (error) {
      this.onFailure((error as Error).message);
      return;
    }
    if (message.type === 'ready') this.onReady(message.proxyPort);
    else if (message.type === 'error') this.onFailure(message.message);
    else if (message.type === 'closed') this.closedWith?.({ killed: message.killed, left: message.left });
    else {
      this.strays += message.strays;
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    }
  }

  private send(message: ToKeeper): void {
    if (this.child.stdin.writable) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  /** The keeper is gone: every command in flight ends as not run (or cut off), and no new one starts. */
  private lose(why: string): void {
    if (this.gone) {
      this.closedWith?.({ killed: 0, left: 0 });
      return;
    }
    this.gone = why;
    this.onFailure(why);
    this.closedWith?.({ killed: 0, left: -1, lost: why });
    for (const resolve of this.pending.values()) resolve(notRun(why, false));
    this.pending.clear();
  }

  /** unshare was started with --kill-child: killing it ends the keeper, and with it the namespace. */
  private async killFromOutside(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    if (this.access.kind === 'root') process.kill(pid, 'SIGKILL');
    // sudo's child is unshare: killing it ends the keeper and the namespace.
    else await runAsRoot(this.access, ['pkill', '-KILL', '-P', String(pid)], this.env);
  }
}

const CLOSED = 'closed';

function notRun(why: string | undefined, aborted: boolean): ProcessResult {
  return { exitCode: null, signalName: null, output: why ? `not run: ${why}\n` : '', timedOut: false, aborted, durationMs: 0, truncatedBytes: 0 };
}
