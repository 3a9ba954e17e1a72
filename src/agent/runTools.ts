import type Anthropic from '@anthropic-ai/sdk';
import type { Pending } from '../records/pending.js';
import type { ToolCallRecord } from '../records/session.js';
import { pendingFromCall } from '../tools/pauseTools.js';
import type { ToolOutcome, Toolbox } from '../tools/types.js';
import { describeToolCall } from './describe.js';
import type { ReplyReading } from './reply.js';
import type { Transcript } from './transcript.js';
import { cutCallResult } from './turns.js';

export interface ToolRound {
  results: Anthropic.Messages.ToolResultBlockParam[];
  records: ToolCallRecord[];
  /** Calls with their full outcomes, for the stuck detector. */
  outcomes: Array<{ name: string; input: unknown; output: string; isError: boolean }>;
  changedFiles: string[];
  /** A valid question or approval request: the run pauses on it once this round's calls have run. */
  pending?: Pending;
}

/**
 * Answers every call of a reply: runs the complete ones in order, answers a
 * call cut at the output limit without running it, and reads a pause call
 * (an invalid one is answered with its error, and the run goes on).
 */
export async function answerCalls(
  reading: ReplyReading,
  opts: { toolbox: Toolbox; step: number; maxOutputTokens: number; transcript?: Transcript },
): Promise<ToolRound> {
  const round = await runToolCalls({ calls: reading.calls, toolbox: opts.toolbox, step: opts.step, transcript: opts.transcript });
  if (reading.cut) {
    const result = cutCallResult(reading.cut, opts.maxOutputTokens);
    round.results.push(result);
    round.records.push({ name: reading.cut.name, summary: `${reading.cut.name} (cut at the output limit; not run)`, isError: true, ms: 0 });
    round.outcomes.push({ name: reading.cut.name, input: reading.cut.input, output: String(result.content), isError: true });
  }
  if (reading.pauseCall) {
    const pending = pendingFromCall(reading.pauseCall);
    if ('error' in pending) round.results.push({ type: 'tool_result', tool_use_id: reading.pauseCall.id, content: pending.error, is_error: true });
    else round.pending = pending;
  }
  return round;
}

/** Runs a response's tool calls in order; the toolbox never throws, so neither does this. */
async function runToolCalls(opts: { calls: Anthropic.Messages.ToolUseBlock[]; toolbox: Toolbox; step: number; transcript?: Transcript }): Promise<ToolRound> {
  const round: ToolRound = { results: [], records: [], outcomes: [], changedFiles: [] };
  for (const block of opts.calls) {
    const call = { id: block.id, name: block.name, input: block.input };
    const started = performance.now();
    const outcome = await opts.toolbox.run(call);
    const ms = performance.now() - started;
    round.changedFiles.push(...(outcome.changedFiles ?? []));
    round.records.push({ name: call.name, summary: describeToolCall(call), isError: outcome.isError, ms });
    round.outcomes.push({ name: call.name, input: call.input, output: outcome.content, isError: outcome.isError });
    round.results.push({ type: 'tool_result', tool_use_id: block.id, content: resultContent(outcome), is_error: outcome.isError });
    opts.transcript?.record({ type: 'tool', step: opts.step, name: call.name, input: call.input, isError: outcome.isError, output: outcome.content, ms });
  }
  return round;
}

/** The tool's output, then (as blocks of their own) the instructions that came due with it. */
function resultContent(outcome: ToolOutcome): Anthropic.Messages.ToolResultBlockParam['content'] {
  const content = outcome.content || '(no output)';
  if (!outcome.extra || outcome.extra.length === 0) return content;
  return [content, ...outcome.extra].map((text) => ({ type: 'text' as const, text }));
}
