import { StuckDetector } from '../../src/agent/stuckDetector.js';

const failing = { name: 'bash', input: { command: 'npm test' }, output: 'FAIL', isError: true };

describe('StuckDetector', () => {
  it('warns once on the same failing call, then calls the run stuck', () => {
    const detector = new StuckDetector();
    expect(detector.observe([failing], false)).toEqual({ kind: 'ok' });
    expect(detector.observe([failing], false)).toEqual({ kind: 'ok' });
    expect(detector.observe([failing], false)).toEqual({
      kind: 'warn',
      message:
        'You seem to be stuck: bash {"command":"npm test"} failed 3 times with the same input. Change approach — read the error, try something different — or finish now and report what blocks you.',
    });
    expect(detector.observe([failing], false).kind).toBe('ok');
    expect(detector.observe([failing], false).kind).toBe('ok');
    expect(detector.observe([failing], false)).toEqual({ kind: 'stuck', evidence: 'bash {"command":"npm test"} failed 3 times with the same input' });
  });

  it('counts steps that learn nothing, and resets when something changes', () => {
    const detector = new StuckDetector();
    const look = { name: 'list_files', input: {}, output: 'a.ts', isError: false };
    expect(detector.observe([look], false).kind).toBe('ok'); // new information
    for (let step = 0; step < 5; step += 1) expect(detector.observe([look], false).kind).toBe('ok');
    expect(detector.observe([look], false).kind).toBe('warn');
    expect(detector.observe([{ ...look, output: 'a.ts\nb.ts' }], false).kind).toBe('ok');
    expect(detector.observe([look], true).kind).toBe('ok');
  });
});
