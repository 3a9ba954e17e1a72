import type Anthropic from '@anthropic-ai/sdk';

type Message = Anthropic.Messages.Message;
type ContentBlock = Anthropic.Messages.ContentBlock;
type StreamEvent = Anthropic.Messages.RawMessageStreamEvent;

/** One SSE frame: an `event:` line, one `data:` line of JSON, and the blank line that ends the frame. */
export function encodeSse(event: string, data: unknown): string {
  // JSON never contains a raw newline, so one `data:` line always holds the whole payload.
  return `event: ${event}\ndata: ${JSON.stringify(data) ?? 'null'}\n\n`;
}

/**
 * The SSE frames the Messages API sends for `message` when streaming, in order:
 * `message_start`, a `ping`, each block's start / deltas / stop, `message_delta`, `message_stop`.
 * Rebuilding the frames with the SDK's MessageStream yields `message` again.
 */
export function messageToSseEvents(message: Message): string[] {
  const frames: string[] = [];
  for (const event of messageToStreamEvents(message)) {
    frames.push(encodeSse(event.type, event));
    // The API sends a ping right after message_start; clients must skip it, so the replay does too.
    if (event.type === 'message_start') frames.push(encodeSse('ping', { type: 'ping' }));
  }
  return frames;
}

/** The typed stream events behind `messageToSseEvents`, without the ping. */
export function messageToStreamEvents(message: Message): StreamEvent[] {
  const usage = message.usage;
  const events: StreamEvent[] = [
    {
      type: 'message_start',
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        // The API reports the input side up front and only a token or so of output until message_delta.
        usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
      },
    },
  ];
  message.content.forEach((block, index) => events.push(...blockEvents(block, index)));
  events.push(
    {
      type: 'message_delta',
      delta: {
        stop_reason: message.stop_reason,
        stop_sequence: message.stop_sequence,
        stop_details: message.stop_details ?? null,
        container: message.container ?? null,
      },
      // Cumulative totals: the SDK overwrites its snapshot's counters with these.
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens ?? null,
        cache_read_input_tokens: usage.cache_read_input_tokens ?? null,
        output_tokens: usage.output_tokens,
        output_tokens_details: usage.output_tokens_details ?? null,
        server_tool_use: usage.server_tool_use ?? null,
      },
    },
    { type: 'message_stop' },
  );
  return events;
}

function blockEvents(block: ContentBlock, index: number): StreamEvent[] {
  const events: StreamEvent[] = [];
  const start = (content_block: ContentBlock): void => {
    events.push({ type: 'content_block_start', index, content_block });
  };
  switch (block.type) {
    case 'text': {
      // Citations arrive as deltas after an empty start, as the API sends them.
      start({ ...block, text: '', citations: block.citations ? [] : null });
      for (const text of pieces(block.text, 16, 8)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      }
      for (const citation of block.citations ?? []) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'citations_delta', citation } });
      }
      break;
    }
    case 'thinking': {
      start({ ...block, thinking: '', signature: '' });
      for (const thinking of pieces(block.thinking, 16, 8)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } });
      }
      if (block.signature) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
      }
      break;
    }
    case 'tool_use':
    case 'server_tool_use': {
      // Tool input is streamed as raw JSON text in pieces that are not valid JSON on their own;
      // the SDK concatenates them and parses the result.
      start({ ...block, input: {} });
      for (const partial_json of pieces(JSON.stringify(block.input ?? {}), 4, 1)) {
        events.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
      }
      break;
    }
    default:
      // Server tool results and redacted thinking arrive whole in their start event.
      start(block);
  }
  events.push({ type: 'content_block_stop', index });
  return events;
}

/**
 * Splits `text` into at most `maxPieces` pieces of at least `minSize` code points.
 * Splitting on code points keeps surrogate pairs whole inside one frame's JSON.
 */
function pieces(text: string, maxPieces: number, minSize: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [];
  const size = Math.max(minSize, Math.ceil(chars.length / maxPieces));
  const out: string[] = [];
  for (let at = 0; at < chars.length; at += size) out.push(chars.slice(at, at + size).join(''));
  return out;
}
