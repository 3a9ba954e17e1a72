import type Anthropic from '@anthropic-ai/sdk';

type ContentBlock = Anthropic.Messages.ContentBlock;
type ContentBlockParam = Anthropic.Messages.ContentBlockParam;
type ToolUseBlock = Anthropic.Messages.ToolUseBlock;

/**
 * How the loop shapes what goes back to the model so the API accepts it and
 * the model keeps working: the rules of the API's "handling stop reasons" guide.
 */

/** The user turn sent after a reply with nothing in it (documented remedy: a new user message asking to continue). */
export const CONTINUE_PROMPT = 'Your last reply was empty. Please continue: call a tool to go on with the task, or, if it is done, write your final report.';

/**
 * The reply as it may be sent back: the API rejects empty and whitespace-only
 * text blocks, and a turn left with no blocks at all must not be sent.
 */
export function echoableContent(content: ContentBlock[]): ContentBlock[] {
  return content.filter((block) => block.type !== 'text' || block.text.trim() !== '');
}

/** The tool call a max_tokens stop cut in the middle: the last block of the reply, when it is a tool_use. */
export function cutToolCall(stopReason: Anthropic.Messages.StopReason | null, content: ContentBlock[]): ToolUseBlock | undefined {
  const last = content.at(-1);
  return stopReason === 'max_tokens' && last?.type === 'tool_use' ? last : undefined;
}

export function cutCallResult(call: ToolUseBlock, maxOutputTokens: number): Anthropic.Messages.ToolResultBlockParam {
  return {
    type: 'tool_result',
    tool_use_id: call.id,
    is_error: true,
    content:
      `This call was cut off at the output length limit (max_tokens, ${maxOutputTokens} tokens) before its input was complete, so it was not run. ` +
      'Continue in smaller pieces: write a large file in parts (create it with the first part, then add the rest with further edits), and split a large edit into several smaller ones.',
  };
}

/**
 * A user turn: the blocks, then the notes for the model. Text right after
 * tool results teaches the model to end its turn empty, so when the turn ends
 * with a tool_result the notes travel inside it, as its last text.
 */
export function userTurn(blocks: ContentBlockParam[], notes: string[]): ContentBlockParam[] {
  const noteBlocks = notes.filter((note) => note.trim() !== '').map((note) => ({ type: 'text' as const, text: note }));
  const last = blocks.at(-1);
  if (noteBlocks.length === 0) return blocks;
  if (last?.type !== 'tool_result') return [...blocks, ...noteBlocks];
  const own = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : [...(last.content ?? [])];
  const content = [...own.filter((block) => block.type !== 'text' || block.text.trim() !== ''), ...noteBlocks];
  return [...blocks.slice(0, -1), { ...last, content }];
}

/** Why the run ended when the model declined, with the API's stop details when it gave them. */
export function refusalReason(message: Anthropic.Messages.Message): string {
  const details = message.stop_details;
  const category = details?.category ? `, category ${details.category}` : '';
  const explanation = details?.explanation ? `${category ? ':' : ','} ${details.explanation}` : '';
  return `the model declined to continue (stop_reason "refusal"${category}${explanation})`;
}
