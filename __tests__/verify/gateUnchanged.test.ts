import type { CheckResult } from '../../src/records/verification.js';
import { VerificationGate } from '../../src/verify/gate.js';

const failing: CheckResult[] = [{ command: 'npm test', passed: false, exitCode: 1, timedOut: false, durationMs: 5, output: 'FAIL' }];
const passing: CheckResult[] = [{ command: 'npm test', passed: true, exitCode: 0, timedOut: false, durationMs: 5, output: '' }];

describe('VerificationGate on an unchanged workspace', () => {
  it('skips its checks, says why, and claims nothing: unverified', async () => {
    let ran = 0;
    const gate = new VerificationGate({ checks: ['npm test'], maxAttempts: 1, runChecks: async () => (ran++, failing), unchanged: async () => true });
    expect(await gate.review()).toEqual({ accept: true });
    expect(ran).toBe(0);
    expect(gate.verdict).toBe('unverified');
    expect(gate.skipped).toBe('the workspace is unchanged, so the verify commands were not run (there was nothing to verify)');
  });

  it('runs them as always once something changed, and the skip is forgotten', async () => {
    const changed = [false, true];
    const gate = new VerificationGate({ checks: ['npm test'], maxAttempts: 2, runChecks: async () => passing, unchanged: async () => !changed.shift() });
    await gate.review();
    expect(gate.skipped).toBeDefined();
    expect(await gate.review()).toEqual({ accept: true });
    expect(gate.skipped).toBeUndefined();
    expect(gate.verdict).toBe('passed');
  });
});
