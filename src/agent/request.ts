import type Anthropic from '@anthropic-ai/sdk';

type MessageParam = Anthropic.Messages.MessageParam;
type ContentBlock = Anthropic.Messages.ContentBlockParam;

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Builds one request. Cache breakpoints: the system block (covering tools and
 * system, stable for the whole run) and the last block of the two newest user
 * turns, so this request reads the prefix the previous one wrote and writes
 * the prefix the next one will read. Three of the four allowed breakpoints.
 * The stored conversation is never mutated: only copies carry cache_control.
 */
export function buildRequest(opts: {
  model: string;
  system: string;
  tools: Anthropic.Messages.ToolUnion[];
  messages: MessageParam[];
  maxOutputTokens: number;
}): Anthropic.Messages.MessageStreamParams {
  return {
    model: opts.model,
    max_tokens: opts.maxOutputTokens,
    system: [{ type: 'text', text: opts.system, cache_control: EPHEMERAL }],
    tools: opts.tools,
    messages: withCacheBreakpoints(opts.messages),
  };
}

function withCacheBreakpoints(messages: MessageParam[]): MessageParam[] {
  const marked = new Set<number>();
  for (let index = messages.length - 1; index >= 0 && marked.size < 2; index -= 1) {
    if (messages[index]?.role === 'user') marked.add(index);
  }
  return messages.map((message, index) => (marked.has(index) ? markLastBlock(message) : message));
}

function markLastBlock(message: MessageParam): MessageParam {
  const blocks: ContentBlock[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
  const last = blocks.at(-1);
  if (!last || last.type === 'thinking' || last.type === 'redacted_thinking') return message;
  blocks[blocks.length - 1] = { ...last, cache_control: EPHEMERAL } as ContentBlock;
  return { ...message, content: blocks } as MessageParam;
}
