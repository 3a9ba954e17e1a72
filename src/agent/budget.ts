import type { BudgetLimits, BudgetName, BudgetSnapshot, ModelSpend } from '../records/budget.js';
import type Anthropic from '@anthropic-ai/sdk';
import { costUsd, type ModelPrice } from '../model/pricing.js';
import { addUsage, billedTokens } from '../model/usage.js';
import { ZERO_USAGE, type TokenUsage } from '../records/usage.js';

/** A response shorter than this cannot do useful work, so the run stops instead of paying for it. */
export const MIN_USEFUL_OUTPUT_TOKENS = 256;

export type RequestPlan = { ok: true; maxOutputTokens: number } | { ok: false; budget: BudgetName; reason: string };

/** What a request plan is made from: the prompt's size, what is new in it, the answer's length, and the model that will answer. */
export interface PlanAsk {
  promptTokensEstimate: number;
  newPromptTokens: number;
  maxOutputTokens: number;
  /** The model the request goes to (its price decides); the run's own model when absent. */
  model?: string;
}

/** A request the budget does not allow: thrown where a request is re-planned inside a send (the switch to the fallback). */
export class BudgetRefusal extends Error {
  constructor(readonly plan: Extract<RequestPlan, { ok: false }>) {
    super(plan.reason);
    this.name = 'BudgetRefusal';
  }
}

/**
 * Holds what the run has spent and decides, before each model request,
 * whether it may be sent and how long its answer may be. Limits are enforced
 * here, in one place: the loop asks, never computes. Each reply is priced at
 * the price of the model that answered it (the run's model, or its fallback).
 */
export class BudgetMeter {
  private steps = 0;
  private usage: TokenUsage = ZERO_USAGE;
  private readonly spend = new Map<string, ModelSpend>();
  private lastPromptCostUsd = 0;
  private lastModel: string | undefined;
  private lastAsk: PlanAsk | undefined;
  private readonly startedAt: number;
  private readonly prices: ReadonlyMap<string, ModelPrice>;
  /** The run's own model: the first of `prices`. */
  readonly model: string;

  constructor(
    readonly limits: BudgetLimits,
    /** One price for every reply, or each model's price by id, the run's model first. */
    prices: ModelPrice | ReadonlyMap<string, ModelPrice>,
    private readonly now: () => number = Date.now,
    /** Time kept back from max_minutes so the run can still report (and push) its work. */
    readonly reserveMs = reserveFor(limits.maxMinutes),
  ) {
    this.prices = prices instanceof Map ? prices : new Map([['model', prices as ModelPrice]]);
    this.model = [...this.prices.keys()][0] ?? 'model';
    this.startedAt = now();
  }

  /** The price a model's replies are billed at. A meter with one price bills every model at it. */
  priceOf(model: string = this.model): ModelPrice {
    const price = this.prices.size === 1 ? this.prices.get(this.model) : this.prices.get(model);
    // Both models a run may call are priced before it starts (enterRun), so this is a bug of ours, not an input.
    if (!price) throw new Error(`no price for model ${model}: the meter knows ${[...this.prices.keys()].join(', ')}`);
    return price;
  }

  /** When the agent's part of the run must stop; publishing uses the reserve after it. */
  get agentDeadline(): number {
    return this.startedAt + this.limits.maxMinutes * 60_000 - this.reserveMs;
  }

  get spentUsd(): number {
    let total = 0;
    for (const spend of this.spend.values()) total += spend.costUsd;
    return total;
  }

  snapshot(): BudgetSnapshot {
    return {
      steps: this.steps,
      usage: this.usage,
      tokens: billedTokens(this.usage),
      costUsd: this.spentUsd,
      elapsedMs: this.now() - this.startedAt,
      ...(this.spend.size > 0 ? { byModel: [...this.spend.values()].map((spend) => ({ ...spend })) } : {}),
    };
  }

  /**
   * Decides whether the next request may go out. `newPromptTokens` estimates
   * the tokens added since the last request; the part already sent is taken at
   * what it cost last time (cache reads stay cache reads), the new part at the
   * dearer of input and cache-write prices. A request to another model than the
   * last reply's reads no cache of it: its whole prompt is new.
   */
  planRequest(ask: PlanAsk): RequestPlan {
    const { maxSteps } = this.limits;
    if (this.steps >= maxSteps) {
      return { ok: false, budget: 'steps', reason: `max_steps reached: ${this.steps} of ${maxSteps} model requests made` };
    }
    if (this.now() >= this.agentDeadline) {
      return { ok: false, budget: 'minutes', reason: `max_minutes reached: ${formatMinutes(this.now() - this.startedAt)} of ${maxMinutes(this.limits)} used` };
    }
    this.lastAsk = ask;
    return this.fit(ask);
  }

  /**
   * The request in flight planned again for another model: the step is already
   * counted, so only tokens and dollars are asked, at that model's price. Used
   * when the run's model failed and the same request goes to its fallback.
   */
  replanFor(model: string): RequestPlan {
    if (!this.lastAsk) throw new Error('replanFor: no request was planned');
    return this.fit({ ...this.lastAsk, model });
  }

  private fit(ask: PlanAsk): RequestPlan {
    const { maxTokens, maxCostUsd } = this.limits;
    const model = ask.model ?? this.model;
    const price = this.priceOf(model);
    const sameModel = this.lastModel === undefined || this.lastModel === model;
    const tokensLeft = maxTokens - billedTokens(this.usage) - ask.promptTokensEstimate;
    const newPartPrice = Math.max(price.input, price.cacheWrite);
    const promptCost = sameModel
      ? this.lastPromptCostUsd + (ask.newPromptTokens * newPartPrice) / 1_000_000
      : (ask.promptTokensEstimate * newPartPrice) / 1_000_000;
    const dollarsLeft = maxCostUsd - this.spentUsd - promptCost;
    const outputByCost = price.output > 0 ? Math.floor((dollarsLeft * 1_000_000) / price.output) : Infinity;
    const maxOutputTokens = Math.min(ask.maxOutputTokens, tokensLeft, outputByCost);
    if (maxOutputTokens >= MIN_USEFUL_OUTPUT_TOKENS) return { ok: true, maxOutputTokens };
    return tokensLeft <= outputByCost
      ? {
          ok: false,
          budget: 'tokens',
          reason: `max_tokens reached: ${billedTokens(this.usage).toLocaleString('en-US')} of ${maxTokens.toLocaleString('en-US')} tokens used; the next request needs about ${ask.promptTokensEstimate.toLocaleString('en-US')} input tokens plus its answer`,
        }
      : {
          ok: false,
          budget: 'cost',
          reason: `max_cost_usd reached: $${this.spentUsd.toFixed(4)} of $${maxCostUsd} spent; the next request${model === this.model ? '' : ` (to ${model})`} would cost about $${promptCost.toFixed(4)} before its answer`,
        };
  }

  /** Counts a request as made; called before it is sent so an aborted request still counts. */
  startStep(): number {
    this.steps += 1;
    return this.steps;
  }

  /** A reply's usage, billed at the price of the model that answered it. */
  record(usage: TokenUsage, model: string = this.model): void {
    const price = this.priceOf(model);
    this.usage = addUsage(this.usage, usage);
    const before = this.spend.get(model) ?? { model, replies: 0, usage: ZERO_USAGE, costUsd: 0 };
    const total = addUsage(before.usage, usage);
    this.spend.set(model, { model, replies: before.replies + 1, usage: total, costUsd: costUsd(total, price) });
    this.lastPromptCostUsd = costUsd({ ...usage, output: 0 }, price);
    this.lastModel = model;
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

/**
 * The budget's word on a request re-sent to another model (the fallback): planned again at
 * that model's price, it goes out with the answer length the dollars left allow, or not at
 * all (a BudgetRefusal, which ends the session as budget-exhausted).
 */
export function admitAt(meter: BudgetMeter) {
  return (request: Anthropic.Messages.MessageStreamParams, model: string): Anthropic.Messages.MessageStreamParams => {
    const plan = meter.replanFor(model);
    if (!plan.ok) throw new BudgetRefusal(plan);
    return { ...request, model, max_tokens: plan.maxOutputTokens };
  };
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
