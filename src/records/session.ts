import type Anthropic from '@anthropic-ai/sdk';
import type { BudgetName, BudgetSnapshot } from './budget.js';
import type { Pending } from './pending.js';
import type { TokenUsage } from './usage.js';

/** Every way an agent session ends; `declined` is the model's refusal (`refused` is the requester's, decided before any session). */
export const RUN_STATUSES = ['completed', 'failed', 'budget-exhausted', 'cancelled', 'stuck', 'declined', 'needs-input', 'needs-approval'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface ToolCallRecord {
  name: string;
  /** One line a human reads: `bash: npm test`, `str_replace_based_edit_tool str_replace src/a.ts`. */
  summary: string;
  isError: boolean;
  ms: number;
}

export interface StepRecord {
  index: number;
  /** Time waiting for the model, from sending the request to the last streamed event. */
  modelMs: number;
  toolMs: number;
  /** Our own time in the step: request building, bookkeeping, logging. */
  ownMs: number;
  /** The model that answered this step (its price is `costUsd`'s). */
  model?: string;
  usage: TokenUsage;
  costUsd: number;
  stopReason: string | null;
  toolCalls: ToolCallRecord[];
}

/** The run moved from its model to `fallback_model`: when, why, from which model to which. */
export interface ModelSwitch {
  /** The step whose request was re-sent to the fallback. */
  step: number;
  from: string;
  to: string;
  /** The primary's failure, as the SDK reported it after its own retries. */
  error: string;
  /** ISO time of the switch. */
  at: string;
}

export interface SessionResult {
  status: RunStatus;
  /** A sentence saying why the run ended. */
  reason: string;
  /** Which budget ended the run, when one did. */
  stoppedBy?: BudgetName;
  /** The model's last words: its report when it finished. */
  finalText: string;
  steps: StepRecord[];
  spent: BudgetSnapshot;
  /** Workspace-relative files the editor tool wrote (shell changes are found by git later). */
  editedFiles: string[];
  /** Set when the run moved to `fallback_model`. */
  modelSwitch?: ModelSwitch;
  /** Set when the agent paused to ask a person: what to save for the run that resumes. */
  pause?: {
    pending: Pending;
    messages: Anthropic.Messages.MessageParam[];
    partialResults: Anthropic.Messages.ToolResultBlockParam[];
  };
  /**
   * Set when a budget ended the session: where a top-up (`continue`) picks
   * it up — the conversation up to its last assistant turn, and the blocks
   * the next user turn must start with (the results of that turn's calls).
   */
  resumePoint?: {
    messages: Anthropic.Messages.MessageParam[];
    carry: Anthropic.Messages.ContentBlockParam[];
  };
}
