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
  usage: TokenUsage;
  costUsd: number;
  stopReason: string | null;
  toolCalls: ToolCallRecord[];
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
