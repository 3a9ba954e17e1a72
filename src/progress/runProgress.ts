import type { BudgetMeter } from '../agent/budget.js';
import type { StepRecord } from '../records/session.js';
import type { Octokit } from '../github/octokit.js';
import { ProgressComment } from './progressComment.js';
import type { ProgressState } from './renderProgress.js';

/**
 * Connects a run to its progress comment: turns steps and the meter into
 * progress states. Without a thread to write on (prompt runs) it does nothing.
 */
export class RunProgress {
  private readonly actions: string[] = [];
  private readonly comment?: ProgressComment;
  /** What went wrong writing progress, for the summary. */
  readonly notes: string[] = [];

  constructor(
    private readonly opts: {
      github?: { octokit: Octokit; owner: string; repo: string };
      threadNumber?: number;
      reaction?: { kind: 'issue' | 'issue_comment' | 'review_comment'; id: number };
      meter: BudgetMeter;
      runUrl?: string;
      log: (line: string) => void;
    },
  ) {
    if (opts.github && opts.threadNumber !== undefined) {
      this.comment = new ProgressComment({
        ...opts.github,
        issueNumber: opts.threadNumber,
        reaction: opts.reaction,
        log: (line) => {
          opts.log(line);
          this.notes.push(line);
        },
      });
    }
  }

  /** Queues the reaction and the first comment; the run need not wait for them (`finish` does). */
  start(): Promise<void> {
    return this.comment?.start(this.state('working')) ?? Promise.resolve();
  }

  step(step: StepRecord): void {
    this.actions.push(...step.toolCalls.map((call) => `${call.isError ? '✘ ' : ''}${call.summary}`));
    void this.comment?.update(this.state(step.toolCalls.some((call) => call.name === 'run_checks') ? 'checking' : 'working'));
  }

  finish(status: string, resultLine: string, prUrl?: string): Promise<void> {
    return this.comment?.finish(this.state(status, { resultLine, prUrl })) ?? Promise.resolve();
  }

  private state(status: string, extra: Partial<ProgressState> = {}): ProgressState {
    const spent = this.opts.meter.snapshot();
    return {
      status,
      steps: spent.steps,
      maxSteps: this.opts.meter.limits.maxSteps,
      elapsedMs: spent.elapsedMs,
      tokens: spent.tokens,
      costUsd: spent.costUsd,
      actions: this.actions.map((summary) => ({ summary, done: true })),
      runUrl: this.opts.runUrl,
      ...extra,
    };
  }
}
