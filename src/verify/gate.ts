import type { CheckResult, GateRun, Verdict } from '../records/verification.js';

export type GateDecision = { accept: true } | { accept: false; final: false; feedback: string } | { accept: false; final: true; reason: string };

/** Bytes of each failing check's output handed back to the agent. */
const FEEDBACK_TAIL_BYTES = 6_000;

/**
 * The authoritative check. When the agent says it is done, the declared
 * commands run here, whatever the agent ran itself; failures go back to the
 * agent until `maxAttempts` gate runs have failed. With no commands declared
 * the work is accepted as "unverified", never "passed"; so it is when the
 * workspace is unchanged (an answer claims nothing about code).
 */
export class VerificationGate {
  readonly runs: GateRun[] = [];
  /** Why the last review ran no checks, when it ran none on declared checks. */
  skipped?: string;

  constructor(
    private readonly opts: {
      checks: string[];
      maxAttempts: number;
      runChecks: (checks: string[]) => Promise<CheckResult[]>;
      /**
       * Whether the workspace is as the run found it. Nothing changed means
       * nothing to verify: a question on a repository whose checks fail must
       * not become a fix attempt. The verdict then stays "unverified".
       */
      unchanged?: () => Promise<boolean>;
    },
  ) {}

  get verdict(): Verdict {
    const last = this.runs.at(-1);
    if (!last || this.opts.checks.length === 0 || this.skipped) return 'unverified';
    return last.results.every((result) => result.passed) ? 'passed' : 'failed';
  }

  async review(): Promise<GateDecision> {
    if (this.opts.checks.length === 0) return { accept: true };
    if (await this.opts.unchanged?.()) {
      this.skipped = 'the workspace is unchanged, so the verify commands were not run (there was nothing to verify)';
      return { accept: true };
    }
    this.skipped = undefined;
    const results = await this.opts.runChecks(this.opts.checks);
    this.runs.push({ attempt: this.runs.length + 1, results });
    const failed = results.filter((result) => !result.passed);
    if (failed.length === 0) return { accept: true };
    const names = failed.map((result) => `\`${result.command}\``).join(', ');
    if (this.runs.length >= this.opts.maxAttempts) {
      return { accept: false, final: true, reason: `checks still failing after ${this.runs.length} verification attempts: ${names}` };
    }
    return {
      accept: false,
      final: false,
      feedback:
        `Verification attempt ${this.runs.length} of ${this.opts.maxAttempts} failed: ${names}. ` +
        'Fix the cause (not the checks), then finish again.\n\n' +
        failed.map((result) => `$ ${result.command}\n${tail(result.output)}`).join('\n\n'),
    };
  }
}

export function tail(text: string, bytes = FEEDBACK_TAIL_BYTES): string {
  return text.length <= bytes ? text : `[… ${text.length - bytes} characters above cut …]\n${text.slice(-bytes)}`;
}
