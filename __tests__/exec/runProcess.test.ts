import { runProcess, type ProcessOptions } from '../../src/exec/runProcess.js';
import { eventually, isRunning } from '../tools/fixture.js';

const base = { cwd: process.cwd(), env: process.env, maxOutputBytes: 4_000, timeoutMs: 10_000 };
const bash = (script: string, extra: Partial<ProcessOptions> = {}) => runProcess({ ...base, file: 'bash', args: ['-c', script], ...extra });

describe('runProcess', () => {
  it('returns the exit code and stdout and stderr in arrival order', async () => {
    const result = await bash('echo one; sleep 0.1; echo two >&2; sleep 0.1; echo three; exit 4');
    expect(result).toMatchObject({ exitCode: 4, signalName: null, output: 'one\ntwo\nthree\n', timedOut: false, aborted: false, truncatedBytes: 0 });
    expect(result.durationMs).toBeGreaterThan(150);
  });

  it('passes arguments as they are, with no shell in between', async () => {
    const result = await runProcess({ ...base, file: 'printf', args: ['%s|', '$(whoami)', 'a b', '; rm -rf /'] });
    expect(result.output).toBe('$(whoami)|a b|; rm -rf /|');
  });

  it('closes stdin, so a program reading it ends at once', async () => {
    const started = Date.now();
    const result = await runProcess({ ...base, file: 'cat', args: [] });
    expect(result).toMatchObject({ exitCode: 0, output: '' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('kills the whole process group at the time limit, grandchildren included', async () => {
    const started = Date.now();
    const result = await bash('sleep 100 & echo $!; sleep 100; wait', { timeoutMs: 500 });
    expect(result).toMatchObject({ exitCode: null, signalName: 'SIGTERM', timedOut: true, aborted: false });
    expect(Date.now() - started).toBeLessThan(3_000);
    const grandchild = Number(result.output.trim());
    expect(grandchild).toBeGreaterThan(1);
    expect(await eventually(() => !isRunning(grandchild))).toBe(true);
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const started = Date.now();
    const result = await bash('trap "" TERM; sleep 100', { timeoutMs: 300 });
    expect(result).toMatchObject({ timedOut: true, signalName: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not wait for a grandchild holding the pipes, and kills what the command left running', async () => {
    const started = Date.now();
    const result = await bash('sleep 100 & echo started $!');
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(Date.now() - started).toBeLessThan(3_000);
    const [, pid] = /^started (\d+)\n$/.exec(result.output) ?? [];
    expect(await eventually(() => !isRunning(Number(pid)))).toBe(true);
  });

  it('resolves even when a process that left the group keeps the pipes open', async () => {
    const started = Date.now();
    const result = await bash('setsid sleep 5 & echo $!');
    const escaped = Number(result.output.trim());
    try {
      expect(result.exitCode).toBe(0);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      process.kill(escaped, 'SIGKILL');
    }
  });

  it('stops when the run aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const result = await runProcess({ ...base, file: 'sleep', args: ['100'], timeoutMs: 60_000, signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, timedOut: false, exitCode: null, signalName: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not start at all when the run has already been aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await bash('echo should not run', { signal: controller.signal });
    expect(result).toEqual({ exitCode: null, signalName: null, output: '', timedOut: false, aborted: true, durationMs: 0, truncatedBytes: 0 });
  });

  it('caps a flood of output, keeping head and tail and saying what was cut', async () => {
    const result = await bash('echo START; yes | head -c 50000000; echo END', { timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    expect(result.truncatedBytes).toBe(50_000_010 - 4_000);
    const head = `START\n${'y\n'.repeat(997)}`;
    const tail = `${'y\n'.repeat(998)}END\n`;
    expect(result.output).toBe(`${head}\n[… 49996010 bytes cut from the middle of the output …]\n${tail}`);
  });

  it('holds bounded memory while a command floods 300 MB of output', async () => {
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    try {
      const result = await bash('head -c 300000000 /dev/zero', { timeoutMs: 30_000 });
      expect(result.truncatedBytes).toBe(300_000_000 - 4_000);
    } finally {
      clearInterval(sampler);
    }
    // Keeping the output would cost 300 MB; the pipe's garbage is collected lazily, so allow slack.
    expect(peak - before).toBeLessThan(150_000_000);
  });

  it('keeps multi-byte characters whole across chunk boundaries', async () => {
    // 40,000 euro signs (120,000 bytes) arrive in several pipe chunks, split anywhere.
    const result = await runProcess({ ...base, maxOutputBytes: 1_000_000, file: 'node', args: ['-e', 'process.stdout.write("€".repeat(40000))'] });
    expect(result.output).toBe('€'.repeat(40_000));
  });

  it('reports a program that cannot start, with the reason', async () => {
    const result = await runProcess({ ...base, file: 'no-such-program-xyz', args: [] });
    expect(result).toMatchObject({ exitCode: null, signalName: null, timedOut: false });
    expect(result.output).toBe(`failed to start no-such-program-xyz in ${process.cwd()}: spawn no-such-program-xyz ENOENT\n`);
  });
});
