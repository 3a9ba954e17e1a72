import type { CheckResult } from '../../src/records/verification.js';
import { VerificationGate } from '../../src/verify/gate.js';

function result(command: string, passed: boolean, output = ''): CheckResult {
  return { command, passed, exitCode: passed ? 0 : 1, timedOut: false, durationMs: 5, output };
}

describe('VerificationGate', () => {
  it('accepts unverified work when no checks are declared, without running anything', async () => {
    const gate = new VerificationGate({
      checks: [],
      maxAttempts: 3,
      runChecks: async () => {
        throw new Error('must not run');
      },
    });
    expect(await gate.review()).toEqual({ accept: true });
    expect(gate.verdict).toBe('unverified');
  });

  it('hands failures back until the attempts run out, then ends the run', async () => {
    const outcomes = [[result('npm test', false, 'FAIL a.test.ts')], [result('npm test', false, 'FAIL again')]];
    const gate = new VerificationGate({ checks: ['npm test'], maxAttempts: 2, runChecks: async () => outcomes.shift()! });
    const first = await gate.review();
    expect(first).toEqual({
      accept: false,
      final: false,
      feedback: 'Verification attempt 1 of 2 failed: `npm test`. Fix the cause (not the checks), then finish again.\n\n$ npm test\nFAIL a.test.ts',
    });
    expect(await gate.review()).toEqual({ accept: false, final: true, reason: 'checks still failing after 2 verification attempts: `npm test`' });
    expect(gate.verdict).toBe('failed');
  });

  it('passes only when the last run passed every check', async () => {
    const outcomes = [
      [result('lint', true), result('test', false)],
      [result('lint', true), result('test', true)],
    ];
    const gate = new VerificationGate({ checks: ['lint', 'test'], maxAttempts: 3, runChecks: async () => outcomes.shift()! });
    await gate.review();
    expect(gate.verdict).toBe('failed');
    expect(await gate.review()).toEqual({ accept: true });
    expect(gate.verdict).toBe('passed');
    expect(gate.runs.map((run) => run.attempt)).toEqual([1, 2]);
  });
});
