import { runProcess } from '../../src/exec/runProcess.js';

const base = { cwd: process.cwd(), env: process.env, maxOutputBytes: 4_000 };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runProcess', () => {
  it('kills the whole process tree at the time limit', async () => {
    const result = await runProcess({ ...base, file: 'bash', args: ['-c', 'sleep 100 & echo $!; sleep 100; wait'], timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    const grandchild = Number(result.output.trim());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(grandchild)).toBe(false);
  });

  it('does not wait for a grandchild that keeps the pipes open after its parent exits', async () => {
    const started = Date.now();
    const result = await runProcess({ ...base, file: 'bash', args: ['-c', 'sleep 100 & echo started'], timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, output: 'started\n' });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('stops when the run aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await runProcess({ ...base, file: 'sleep', args: ['100'], timeoutMs: 60_000, signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, timedOut: false, signalName: 'SIGTERM' });
  });

  it('caps a flood of output, keeping head and tail and saying what was cut', async () => {
    const result = await runProcess({ ...base, file: 'bash', args: ['-c', 'echo START; head -c 50000000 /dev/zero | tr "\\0" x; echo; echo END'], timeoutMs: 30_000 });
    expect(result.exitCode).toBe(0);
    expect(result.output.startsWith('START\nxxx')).toBe(true);
    expect(result.output.endsWith('xxx\nEND\n')).toBe(true);
    expect(result.output).toMatch(/\n\[… 4999\d{4} bytes cut from the middle of the output …\]\n/);
    expect(result.truncatedBytes).toBeGreaterThan(49_990_000);
    expect(result.output.length).toBeLessThan(4_100);
  });

  it('reports a program that cannot start', async () => {
    const result = await runProcess({ ...base, file: 'no-such-program-xyz', args: [], timeoutMs: 1_000 });
    expect(result.exitCode).toBeNull();
    expect(result.output).toContain('failed to start no-such-program-xyz: spawn no-such-program-xyz ENOENT');
  });
});
