import type { TokenUsage } from './usage.js';

export type BudgetName = 'steps' | 'minutes' | 'tokens' | 'cost';

/** The per-run limits, as the inputs gave them. */
export interface BudgetLimits {
  maxSteps: number;
  maxMinutes: number;
  maxTokens: number;
  maxCostUsd: number;
}

/** What a run has spent so far. */
export interface BudgetSnapshot {
  steps: number;
  usage: TokenUsage;
  tokens: number;
  costUsd: number;
  elapsedMs: number;
  /** Each model that answered, in the order they first did, with what its replies cost at its own price (absent before any reply). */
  byModel?: ModelSpend[];
}

/** What one model's replies were billed, at that model's price. */
export interface ModelSpend {
  model: string;
  replies: number;
  usage: TokenUsage;
  costUsd: number;
}
