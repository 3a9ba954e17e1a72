import type Anthropic from '@anthropic-ai/sdk';
import type { Toolbox } from '../tools/types.js';
import { describeToolCall } from './describe.js';
import type { Transcript } from './transcript.js';
import type { ToolCallRecord } from '../records/session.js';

export interface ToolRound {
  results: Anthropic.Messages.ToolResultBlockParam[];
  records: ToolCallRecord[];
  /** Calls with their full outcomes, for the stuck detector. */
  outcomes: Array<{ name: string; input: unknown; output: string; isError: boolean }>;
  changedFiles: string[];
}

/** Runs a response's tool calls in order; the toolbox never throws, so neither does this. */
export async function runToolCalls(opts: { calls: Anthropic.Messages.ToolUseBlock[]; toolbox: Toolbox; step: number; transcript?: Transcript }): Promise<ToolRound> {
  const round: ToolRound = { results: [], records: [], outcomes: [], changedFiles: [] };
  for (const block of opts.calls) {
    const call = { id: block.id, name: block.name, input: block.input };
    const started = performance.now();
    const outcome = await opts.toolbox.run(call);
    const ms = performance.now() - started;
    round.changedFiles.push(...(outcome.changedFiles ?? []));
    round.records.push({ name: call.name, summary: describeToolCall(call), isError: outcome.isError, ms });
    round.outcomes.push({ name: call.name, input: call.input, output: outcome.content, isError: outcome.isError });
    round.results.push({ type: 'tool_result', tool_use_id: block.id, content: outcome.content || '(no output)', is_error: outcome.isError });
    opts.transcript?.record({ type: 'tool', step: opts.step, name: call.name, input: call.input, isError: outcome.isError, output: outcome.content, ms });
  }
  return round;
}
