import type { ContinuationRecord } from '../records/report.js';
import { formatUsd } from '../text/format.js';

/**
 * One line on a top-up run: which run of the session it is, the amount it
 * was given, and the session's spending against max_total_cost_usd.
 */
export function continuationLine(record: ContinuationRecord, spentThisRun: number): string {
  const amount = record.amountUsd !== undefined ? `a top-up of ${formatUsd(record.amountUsd)}` : 'a fresh per-run budget';
  const capped = record.amountUsd !== undefined && record.capUsd < record.amountUsd ? ` (capped at ${formatUsd(record.capUsd)} by max_total_cost_usd)` : '';
  const total = record.spentBeforeUsd + spentThisRun;
  return (
    `Continuation: run ${record.run} of this session, asked for by @\u200b${record.by} with ${amount}${capped}. ` +
    `Spent so far on the session: ${formatUsd(total)} of ${formatUsd(record.maxTotalCostUsd)} (max_total_cost_usd).`
  );
}
