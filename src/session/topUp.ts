import type Anthropic from '@anthropic-ai/sdk';
import { userTurn } from '../agent/turns.js';
import type { BudgetLimits } from '../records/budget.js';
import { codeSpan, formatUsd } from '../text/format.js';
import type { SavedSession } from './savedSession.js';

/** How the budget line the loop adds to every user turn starts (BudgetMeter.describeRemaining). */
const BUDGET_LINE = 'Budget left: ';

/**
 * This run's budget: the inputs' per-run limits, the dollars of a top-up
 * (`continue $N`) instead of max_cost_usd when given, and never more
 * dollars than max_total_cost_usd leaves after the session's earlier runs.
 */
export function runLimits(opts: { limits: BudgetLimits; maxTotalCostUsd: number; spentBefore: number; amountUsd?: number }): BudgetLimits {
  const perRun = opts.amountUsd ?? opts.limits.maxCostUsd;
  return { ...opts.limits, maxCostUsd: Math.max(0, Math.min(perRun, opts.maxTotalCostUsd - opts.spentBefore)) };
}

/**
 * The first user turn of a top-up: the results the stopped turn's calls
 * got (the API needs them after its tool_use blocks), and a note saying
 * who gave a new budget and that the work goes on. The note travels inside
 * the last tool result, as every note to the model does.
 */
export function topUpAnswer(state: SavedSession, opts: { by: string; amountUsd?: number }): Anthropic.Messages.ContentBlockParam[] {
  const amount = opts.amountUsd !== undefined ? `a top-up of ${formatUsd(opts.amountUsd)}` : 'a fresh budget';
  const why = state.exhausted ? ` (${state.exhausted.reason})` : '';
  const note =
    `The previous run of this session stopped at its budget${why}. @${opts.by} continued it with ${amount}: ` +
    'go on with the task where you left off. Your earlier changes are in the workspace.';
  const carry = (state.partialResults as Anthropic.Messages.ContentBlockParam[]).map(withoutBudgetLine).filter((block) => block !== undefined);
  return userTurn(carry, [note]);
}

/** The stopped run's "Budget left" line is stale: this run's own takes its place. */
function withoutBudgetLine(block: Anthropic.Messages.ContentBlockParam): Anthropic.Messages.ContentBlockParam | undefined {
  const stale = (inner: { type: string; text?: string }) => inner.type === 'text' && (inner.text ?? '').startsWith(BUDGET_LINE);
  if (block.type === 'text') return stale(block) ? undefined : block;
  if (block.type !== 'tool_result' || !Array.isArray(block.content)) return block;
  return { ...block, content: block.content.filter((inner) => !stale(inner)) };
}

/** What to reply to continue a session a budget ended, for the comment and the summary (our markdown). */
export function continueHint(opts: { phrase: string; totalCostUsd: number; maxTotalCostUsd: number }): string {
  const left = opts.maxTotalCostUsd - opts.totalCostUsd;
  const head = '**The session stopped at its budget.**';
  if (left <= 0) {
    return `${head} It has spent ${formatUsd(opts.totalCostUsd)}, all of max_total_cost_usd (${formatUsd(opts.maxTotalCostUsd)}): continuing it needs a larger max_total_cost_usd.`;
  }
  return (
    `${head} Reply ${codeSpan(`${opts.phrase} continue`)} to continue it with a fresh budget, or ${codeSpan(`${opts.phrase} continue $2`)} to give the next run $2. ` +
    `The session has spent ${formatUsd(opts.totalCostUsd)} of max_total_cost_usd (${formatUsd(opts.maxTotalCostUsd)}).`
  );
}
