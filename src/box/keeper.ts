import { readdir, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { startForwarder } from '../egress/forwarder.js';
import { runProcess } from '../exec/runProcess.js';
import { fromKeeper, parseLine, toKeeper, type FromKeeper } from './protocol.js';

/**
 * The box's first process: PID 1 of a PID namespace of its own (and of a
 * network namespace when the box has one), started as root by the action.
 * It runs each command it is sent as the agent's user, and after each
 * command (when none is running) kills whatever the agent left running,
 * setsid daemons included: a PID namespace has no way out. When its stdin
 * closes or it is told to close, it kills everything, checks that nothing is
 * left, and exits; the kernel then ends anything that could still exist.
 */
export async function runKeeper(): Promise<void> {
  const send = (message: FromKeeper): void => {
    process.stdout.write(`${JSON.stringify(fromKeeper.parse(message))}\n`);
  };
  // Killing by PID is only safe where every PID is the box's own.
  if (process.pid !== 1) {
    send({ type: 'error', message: `the keeper must be PID 1 of its own PID namespace (it is ${process.pid})` });
    process.exit(2);
  }
  let agent: { uid: number; gid: number } | undefined;
  const running = new Map<number, AbortController>();

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let message;
    try {
      message = parseLine(toKeeper, line);
    } catch (error) {
      send({ type: 'error', message: (error as Error).message });
      continue;
    }
    if (message.type === 'start') {
      try {
        agent = { uid: message.uid, gid: message.gid };
        if (message.ownNetwork) await bringLoopbackUp();
        const proxyPort = message.forwardTo ? await startForwarder({ port: 0, socketPath: message.forwardTo }) : undefined;
        send({ type: 'ready', proxyPort });
      } catch (error) {
        send({ type: 'error', message: `the box could not start: ${(error as Error).message}` });
      }
    } else if (message.type === 'run') {
      if (!agent) {
        send({ type: 'error', message: 'run before start' });
        continue;
      }
      const controller = new AbortController();
      running.set(message.id, controller);
      const { id, file, args, cwd, env, timeoutMs, maxOutputBytes } = message;
      void runProcess({ file, args, cwd, env, timeoutMs, maxOutputBytes, signal: controller.signal, uid: agent.uid, gid: agent.gid }).then(async (result) => {
        running.delete(id);
        const strays = running.size === 0 ? await killAllBut1() : 0;
        send({ type: 'result', id, result, strays });
      });
    } else if (message.type === 'kill') {
      running.get(message.id)?.abort();
    } else {
      break;
    }
  }
  for (const controller of running.values()) controller.abort();
  const killed = await killAllBut1();
  send({ type: 'closed', killed, left: (await otherPids()).length });
  process.exit(0);
}

async function bringLoopbackUp(): Promise<void> {
  const result = await runProcess({
    file: 'ip',
    args: ['link', 'set', 'lo', 'up'],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    timeoutMs: 10_000,
    maxOutputBytes: 4_000,
  });
  if (result.exitCode !== 0) throw new Error(`ip link set lo up failed (exit ${result.exitCode}): ${result.output.trim()}`);
}

/** Every process of the namespace but this one, read from the namespace's own /proc. */
async function otherPids(): Promise<number[]> {
  const entries = await readdir('/proc');
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || entry === '1') continue;
    // A zombie is already dead; it only waits to be reaped.
    const status = await readFile(`/proc/${entry}/status`, 'utf8').catch(() => '');
    if (status !== '' && !/^State:\s+Z/m.test(status)) pids.push(Number(entry));
  }
  return pids;
}

/** SIGKILL for everything else in the box, until nothing is left (or a second has passed); how many were killed. */
async function killAllBut1(): Promise<number> {
  const killed = new Set<number>();
  for (let round = 0; round < 20; round += 1) {
    const pids = await otherPids();
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.add(pid);
      } catch {
        // ESRCH: it ended on its own meanwhile.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return killed.size;
}
