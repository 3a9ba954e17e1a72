export type Verdict = 'passed' | 'failed' | 'unverified';

export interface CheckResult {
  command: string;
  passed: boolean;
  /** null when the command was killed (time limit, abort, signal), not run, or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Capped output, ending with a bracketed note when the command did not pass. */
  output: string;
}

/** One run of the verification gate: every declared check, in order. */
export interface GateRun {
  attempt: number;
  results: CheckResult[];
}
