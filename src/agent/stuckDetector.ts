import { createHash } from 'node:crypto';

export type StuckVerdict = { kind: 'ok' } | { kind: 'warn'; message: string } | { kind: 'stuck'; evidence: string };

const SAME_FAILURE_LIMIT = 3;
const IDLE_STEP_LIMIT = 6;

/**
 * Notices a run going round in circles: the same failing call made again and
 * again, or a stretch of steps that only repeat calls already made with the
 * same result (no file changed, nothing new learned). The agent is warned
 * once; if it carries on, the run ends `stuck` instead of spending the rest
 * of its budget.
 */
export class StuckDetector {
  private readonly seen = new Map<string, string>();
  private readonly failures = new Map<string, number>();
  private idleSteps = 0;
  private warned = false;

  /** Feeds one step: its tool calls with their outcomes, and whether any file changed. */
  observe(calls: Array<{ name: string; input: unknown; output: string; isError: boolean }>, changedFiles: boolean): StuckVerdict {
    let learned = changedFiles || calls.length === 0;
    let repeatedFailure: string | undefined;
    for (const call of calls) {
      const signature = `${call.name} ${JSON.stringify(call.input)}`;
      const outputHash = createHash('sha1').update(call.output).digest('hex');
      if (this.seen.get(signature) !== outputHash) learned = true;
      this.seen.set(signature, outputHash);
      if (call.isError) {
        const count = (this.failures.get(signature) ?? 0) + 1;
        this.failures.set(signature, count);
        if (count >= SAME_FAILURE_LIMIT) repeatedFailure = `${signature.slice(0, 200)} failed ${count} times with the same input`;
      }
    }
    this.idleSteps = learned ? 0 : this.idleSteps + 1;
    const evidence =
      repeatedFailure ??
      (this.idleSteps >= IDLE_STEP_LIMIT ? `${this.idleSteps} steps in a row repeated earlier calls with the same results and changed no file` : undefined);
    if (!evidence) return { kind: 'ok' };
    if (!this.warned) {
      this.warned = true;
      this.idleSteps = 0;
      this.failures.clear();
      return {
        kind: 'warn',
        message: `You seem to be stuck: ${evidence}. Change approach — read the error, try something different — or finish now and report what blocks you.`,
      };
    }
    return { kind: 'stuck', evidence };
  }
}
