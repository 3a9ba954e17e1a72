import type Anthropic from '@anthropic-ai/sdk';
import { isPauseTool } from '../tools/pauseTools.js';
import { cutToolCall, echoableContent } from './turns.js';

type ToolUseBlock = Anthropic.Messages.ToolUseBlock;

/** What one model reply asks of the loop, read once. */
export interface ReplyReading {
  /** stop_reason "refusal": what it had begun to say is not the agent's report, and none of its calls run. */
  declined: boolean;
  /** The reply as it may be sent back (no empty text blocks). */
  content: Anthropic.Messages.ContentBlock[];
  /** Nothing to send back: such a turn is never echoed (the API rejects it, and the model would stay silent). */
  empty: boolean;
  /** The reply's text, for the final report ('' when it has none or declined). */
  text: string;
  /** Whether the reply made any tool call at all, cut or not. */
  madeCalls: boolean;
  /** Calls to run now, in order: complete, and not a pause. */
  calls: ToolUseBlock[];
  /** A question or an approval request: it ends the run, after the turn's other calls ran. */
  pauseCall?: ToolUseBlock;
  /** A call cut at max_tokens: its input is half-built, so it is answered, never run. */
  cut?: ToolUseBlock;
  /** The model ended its turn with no call: the gate decides whether the work is done. An empty reply never is. */
  finished: boolean;
}

export function readReply(message: Anthropic.Messages.Message): ReplyReading {
  const declined = message.stop_reason === 'refusal';
  const content = echoableContent(message.content);
  const empty = content.length === 0 && !declined;
  const allCalls = declined ? [] : content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
  const cut = declined ? undefined : cutToolCall(message.stop_reason, content);
  const complete = allCalls.filter((block) => block !== cut);
  const pauseCall = complete.find((block) => isPauseTool(block.name));
  return {
    declined,
    content,
    empty,
    cut,
    pauseCall,
    text: declined ? '' : textOf(message),
    madeCalls: allCalls.length > 0,
    calls: complete.filter((block) => block !== pauseCall),
    finished: allCalls.length === 0 && message.stop_reason !== 'max_tokens' && !empty && !declined,
  };
}

function textOf(message: Anthropic.Messages.Message): string {
  return message.content
    .filter((block): block is Anthropic.Messages.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}
