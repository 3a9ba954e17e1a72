import type { BudgetName } from '../records/budget.js';
import type { ModelReply } from '../model/model.js';
import { costUsd } from '../model/pricing.js';
import type { SessionResult, StepRecord, ToolCallRecord } from '../records/session.js';
import type { BudgetMeter } from './budget.js';
import type { WorkRecord } from './compact.js';
import type { ReplyReading } from './reply.js';
import type { ToolRound } from './runTools.js';

/** Empty replies in a row, each answered by a request to continue, before the run gives up on the model. */
export const MAX_EMPTY_REPLIES = 3;

/** What a session has done so far: its steps, the files it edited, its last words and checks. Every ending is made from it. */
export class WorkSoFar {
  readonly steps: StepRecord[] = [];
  private readonly editedFiles = new Set<string>();
  private finalText = '';
  /** The last checks' output the model saw: run_checks, or the gate's feedback. */
  lastChecks: string | undefined;
  emptyReplies = 0;

  constructor(private readonly meter: BudgetMeter) {}

  heard(reading: ReplyReading): void {
    this.emptyReplies = reading.empty ? this.emptyReplies + 1 : 0;
    this.finalText = reading.text || this.finalText;
  }

  did(round: ToolRound): void {
    round.changedFiles.forEach((file) => this.editedFiles.add(file));
    this.lastChecks = round.outcomes.findLast((outcome) => outcome.name === 'run_checks')?.output ?? this.lastChecks;
  }

  /** One step done: its times (our own is what is left of its wall time), what it was billed, its calls. */
  addStep(opts: { index: number; reply: ModelReply; toolCalls: ToolCallRecord[]; stepStart: number; toolStart: number }): StepRecord {
    const { reply } = opts;
    const toolMs = performance.now() - opts.toolStart;
    const step: StepRecord = {
      index: opts.index,
      modelMs: reply.ms,
      toolMs,
      ownMs: performance.now() - opts.stepStart - reply.ms - toolMs,
      model: reply.model,
      usage: reply.usage,
      costUsd: costUsd(reply.usage, this.meter.priceOf(reply.model)),
      stopReason: reply.message.stop_reason,
      toolCalls: opts.toolCalls,
    };
    this.steps.push(step);
    return step;
  }

  /** Our own record of the work, which a compaction summary is made of. */
  record(): WorkRecord {
    return {
      editedFiles: [...this.editedFiles].sort(),
      actions: this.steps.flatMap((step) => step.toolCalls.map((call) => `${call.isError ? '✘' : '✔'} ${call.summary}`)),
      lastChecks: this.lastChecks,
    };
  }

  end(status: SessionResult['status'], reason: string, stoppedBy?: BudgetName): SessionResult {
    return { status, reason, stoppedBy, finalText: this.finalText, steps: this.steps, spent: this.meter.snapshot(), editedFiles: [...this.editedFiles].sort() };
  }
}
