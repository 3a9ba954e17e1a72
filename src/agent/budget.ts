import type { BudgetLimits, BudgetName, BudgetSnapshot } from '../records/budget.js';
import { costUsd, type ModelPrice } from '../model/pricing.js';
import { addUsage, billedTokens } from '../model/usage.js';
import { ZERO_USAGE, type TokenUsage } from '../records/usage.js';

/** A response shorter than this cannot do useful work, so the run stops instead of paying for it. */
export const MIN_USEFUL_OUTPUT_TOKENS = 256;

export type RequestPlan = { ok: true; maxOutputTokens: number } | { ok: false; budget: BudgetName; reason: string };

/**
 * Holds what the run has spent and decides, before each model request,
 * whether it may be sent and how long its answer may be. Limits are enforced
 * here, in one place: the loop asks, never computes.
 */
export class BudgetMeter {
  private steps = 0;
  private usage: TokenUsage = ZERO_USAGE;
  private lastPromptCostUsd = 0;
  private readonly startedAt: number;

  constructor(
    readonly limits: BudgetLimits,
    readonly price: ModelPrice,
    private readonly now: () => number = Date.now,
    /** Time kept back from max_minutes so the run can still report (and push) its work. */
    readonly reserveMs = reserveFor(limits.maxMinutes),
  ) {
    this.startedAt = now();
  }

  /** When the agent's part of the run must stop; publishing uses the reserve after it. */
  get agentDeadline(): number {
    return this.startedAt + this.limits.maxMinutes * 60_000 - this.reserveMs;
  }

  get spentUsd(): number {
    return costUsd(this.usage, this.price);
  }

  snapshot(): BudgetSnapshot {
    return {
      steps: this.steps,
      usage: this.usage,
      tokens: billedTokens(this.usage),
      costUsd: this.spentUsd,
      elapsedMs: this.now() - this.startedAt,
    };
  }

  /**
   * Decides whether the next request may go out. `newPromptTokens` estimates
   * the tokens added since the last request; the part already sent is taken at
   * what it cost last time (cache reads stay cache reads), the new part at the
   * dearer of input and cache-write prices.
   */
  planRequest(opts: { promptTokensEstimate: number; newPromptTokens: number; maxOutputTokens: number }): RequestPlan {
    const { maxSteps, maxTokens, maxCostUsd } = this.limits;
    if (this.steps >= maxSteps) {
      return { ok: false, budget: 'steps', reason: `max_steps reached: ${this.steps} of ${maxSteps} model requests made` };
    }
    if (this.now() >= this.agentDeadline) {
      return { ok: false, budget: 'minutes', reason: `max_minutes reached: ${formatMinutes(this.now() - this.startedAt)} of ${maxMinutes(this.limits)} used` };
    }
    const tokensLeft = maxTokens - billedTokens(this.usage) - opts.promptTokensEstimate;
    const newPartPrice = Math.max(this.price.input, this.price.cacheWrite);
    const promptCost = this.lastPromptCostUsd + (opts.newPromptTokens * newPartPrice) / 1_000_000;
    const dollarsLeft = maxCostUsd - this.spentUsd - promptCost;
    const outputByCost = this.price.output > 0 ? Math.floor((dollarsLeft * 1_000_000) / this.price.output) : Infinity;
    const maxOutputTokens = Math.min(opts.maxOutputTokens, tokensLeft, outputByCost);
    if (maxOutputTokens < MIN_USEFUL_OUTPUT_TOKENS) {
      const byTokens = tokensLeft <= outputByCost;
      return byTokens
        ? {
            ok: false,
            budget: 'tokens',
            reason: `max_tokens reached: ${billedTokens(this.usage).toLocaleString('en-US')} of ${maxTokens.toLocaleString('en-US')} tokens used; the next request needs about ${opts.promptTokensEstimate.toLocaleString('en-US')} input tokens plus its answer`,
          }
        : {
            ok: false,
            budget: 'cost',
            reason: `max_cost_usd reached: $${this.spentUsd.toFixed(4)} of $${maxCostUsd} spent; the next request would cost about $${promptCost.toFixed(4)} before its answer`,
          };
    }
    return { ok: true, maxOutputTokens };
  }

  /** Counts a request as made; called before it is sent so an aborted request still counts. */
  startStep(): number {
    this.steps += 1;
    return this.steps;
  }

  record(usage: TokenUsage): void {
    this.usage = addUsage(this.usage, usage);
    this.lastPromptCostUsd = costUsd({ ...usage, output: 0 }, this.price);
  }

  /** What the model reads about its budget in the newest message. */
  describeRemaining(): string {
    const { maxSteps, maxTokens, maxCostUsd } = this.limits;
    const msLeft = Math.max(0, this.agentDeadline - this.now());
    const tokensLeft = Math.max(0, maxTokens - billedTokens(this.usage));
    const dollarsLeft = Math.max(0, maxCostUsd - this.spentUsd);
    return (
      `Budget left: ${maxSteps - this.steps} of ${maxSteps} steps, ${formatMinutes(msLeft)}, ` +
      `${tokensLeft.toLocaleString('en-US')} tokens, $${dollarsLeft.toFixed(2)}.`
    );
  }
}

function maxMinutes(limits: BudgetLimits): string {
  return `${limits.maxMinutes} min`;
}

export function formatMinutes(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds}s` : `${(seconds / 60).toFixed(1)} min`;
}

/** 10% of the run, at least 1 s and at most 60 s: enough to commit, push and write the report. */
export function reserveFor(maxMinutesLimit: number): number {
  return Math.min(60_000, Math.max(1_000, maxMinutesLimit * 60_000 * 0.1));
}
