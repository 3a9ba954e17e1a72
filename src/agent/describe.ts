import type { ToolCall } from '../tools/types.js';

const MAX_LENGTH = 120;

/** One line saying what a tool call did, for the log, the summary and the progress comment. */
export function describeToolCall(call: ToolCall): string {
  const input = (typeof call.input === 'object' && call.input !== null ? call.input : {}) as Record<string, unknown>;
  const detail = [input.command, input.path, input.pattern].filter((part): part is string => typeof part === 'string' && part !== '').join(' ');
  const line = detail === '' ? call.name : `${call.name}: ${detail.replace(/\s+/g, ' ')}`;
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}
