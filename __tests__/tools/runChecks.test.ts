import { runCheckCommands } from '../../src/tools/runChecks.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import type { ToolContext } from '../../src/tools/types.js';
import { makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox({ commandTimeoutMs: 1_000 });
  await box.write('README.md', '# Demo\n');
});

afterAll(() => box.cleanup());

const runChecks = (checks: string[], input: unknown = {}, extra: Partial<ToolContext> = {}) =>
  createToolbox({ ...box.ctx, checks, ...extra }, { anthropicToolTypes: true }).run({ id: 't', name: 'run_checks', input });

/** Durations vary; everything else is exact. */
const withoutTimes = (text: string) => text.replace(/\d+(\.\d)?s\)/g, 'Ns)');

describe('run_checks', () => {
  it('says so, without failing, when no checks were declared', async () => {
    expect(await runChecks([])).toEqual({
      content: 'No verification commands were declared for this repository; nothing to run. Verify with bash instead.',
      isError: false,
    });
  });

  it('reports every passing check with its duration', async () => {
    const result = await runChecks(['test -f README.md', 'echo quiet > /dev/null']);
    expect(result.isError).toBe(false);
    expect(result.content).toMatch(/^All 2 checks passed\.\n✔ test -f README\.md \(\d+(\.\d)?s\)\n✔ echo quiet > \/dev\/null \(\d+(\.\d)?s\)$/);
  });

  it('runs all checks even after a failure, and shows the failing output', async () => {
    const result = await runChecks(['test -f README.md', 'echo "FAIL a.test.ts" >&2; exit 1', 'grep -q Demo README.md']);
    expect(result.isError).toBe(true);
    expect(withoutTimes(result.content)).toBe(
      '1 of 3 checks failed.\n✔ test -f README.md (Ns)\n✘ echo "FAIL a.test.ts" >&2; exit 1 (exit 1, Ns)\nFAIL a.test.ts\n[exit code 1]\n✔ grep -q Demo README.md (Ns)',
    );
  });

  it('kills a check at the time limit', async () => {
    const result = await runChecks(['echo started; sleep 100']);
    expect(withoutTimes(result.content)).toBe(
      'The check failed.\n✘ echo started; sleep 100 (timed out, Ns)\nstarted\n[timed out after 1s; process group killed]',
    );
  });

  it('shows the end of a long failure, where the error usually is', async () => {
    const result = await runChecks(['for i in $(seq 1 2000); do echo "line $i"; done; exit 2'], {}, { maxOutputBytes: 4_000 });
    const [, , cut, ...rest] = result.content.split('\n');
    expect(cut).toMatch(/^\[… \d+ earlier bytes not shown …\]$/);
    expect(rest.at(-2)).toBe('line 2000');
    expect(rest.at(-1)).toBe('[exit code 2]');
    expect(Buffer.byteLength(rest.join('\n'))).toBeLessThanOrEqual(4_000);
  });

  it('runs only the checks asked for', async () => {
    const result = await runChecks(['exit 1', 'test -f README.md'], { only: [2] });
    expect(withoutTimes(result.content)).toBe('The check passed.\n✔ test -f README.md (Ns)');
    expect(await runChecks(['exit 1', 'true'], { only: [3] })).toEqual({
      content: 'run_checks has no check 3; the declared checks are 1: exit 1; 2: true',
      isError: true,
    });
  });
});

describe('runCheckCommands', () => {
  it('returns one result per command, for the final verification gate', async () => {
    const results = await runCheckCommands(box.ctx, ['true', 'echo broken; exit 3']);
    expect(results).toEqual([
      { command: 'true', passed: true, exitCode: 0, timedOut: false, durationMs: expect.any(Number), output: '' },
      { command: 'echo broken; exit 3', passed: false, exitCode: 3, timedOut: false, durationMs: expect.any(Number), output: 'broken\n[exit code 3]' },
    ]);
  });

  it('reports checks it could not run as not passed once the run is ending', async () => {
    const controller = new AbortController();
    controller.abort();
    const notRun = '[not run: the run is ending (time budget or cancellation)]';
    expect(await runCheckCommands({ ...box.ctx, signal: controller.signal }, ['true'])).toEqual([
      { command: 'true', passed: false, exitCode: null, timedOut: false, durationMs: 0, output: notRun },
    ]);
    expect(await runChecks(['true', 'exit 0'], {}, { signal: controller.signal })).toEqual({
      content: `2 of 2 checks failed.\n✘ true (not run, 0s)\n${notRun}\n✘ exit 0 (not run, 0s)\n${notRun}`,
      isError: true,
    });
  });

  it('stops a check in flight when the run ends', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await runChecks(['echo busy; sleep 100', 'true'], {}, { signal: controller.signal, commandTimeoutMs: 60_000 });
    expect(withoutTimes(result.content)).toBe(
      '2 of 2 checks failed.\n✘ echo busy; sleep 100 (stopped, Ns)\nbusy\n[stopped: the run is ending (time budget or cancellation); process group killed]\n' +
        '✘ true (not run, Ns)\n[not run: the run is ending (time budget or cancellation)]',
    );
  });
});
