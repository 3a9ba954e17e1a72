import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.Messages.ContentBlock;

/**
 * A recorded session on the example repository: the model's replies, in
 * order. The replay serves them over a real HTTP stream; every tool call in
 * them is executed for real on the demo's checkout.
 */
function reply(index: number, content: Block[], usage: { input: number; cacheWrite: number; cacheRead: number; output: number }): Anthropic.Messages.Message {
  const stopsForTool = content.some((block) => block.type === 'tool_use');
  return {
    id: `msg_demo_${index}`,
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content,
    stop_reason: stopsForTool ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    container: null,
    stop_details: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_creation_input_tokens: usage.cacheWrite,
      cache_read_input_tokens: usage.cacheRead,
      cache_creation: null,
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: null,
    },
  } as Anthropic.Messages.Message;
}

function text(value: string): Block {
  return { type: 'text', text: value, citations: null } as Block;
}

function tool(id: string, name: string, input: Record<string, unknown>): Block {
  return { type: 'tool_use', id, name, input, caller: { type: 'direct' } } as Block;
}

const EDITOR = 'str_replace_based_edit_tool';

export const DEMO_RECORDING: Anthropic.Messages.Message[] = [
  reply(1, [text("I'll start by looking at the repository layout."), tool('toolu_demo_01', 'list_files', {})], {
    input: 12,
    cacheWrite: 3_180,
    cacheRead: 0,
    output: 58,
  }),
  reply(2, [tool('toolu_demo_02', EDITOR, { command: 'view', path: 'src/slugify.js' })], {
    input: 9,
    cacheWrite: 142,
    cacheRead: 3_180,
    output: 71,
  }),
  reply(3, [text('Let me run the checks to see the failure first.'), tool('toolu_demo_03', 'run_checks', {})], {
    input: 9,
    cacheWrite: 160,
    cacheRead: 3_322,
    output: 49,
  }),
  reply(
    4,
    [
      text('The separators are replaced one by one and never collapsed or trimmed. I will collapse each run into one dash and trim the ends.'),
      tool('toolu_demo_04', EDITOR, {
        command: 'str_replace',
        path: 'src/slugify.js',
        old_str: ".replace(/[^a-z0-9]/g, '-');",
        new_str: ".replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');",
      }),
    ],
    { input: 9, cacheWrite: 610, cacheRead: 3_482, output: 164 },
  ),
  reply(5, [tool('toolu_demo_05', 'run_checks', {})], { input: 9, cacheWrite: 121, cacheRead: 4_092, output: 38 }),
  reply(
    6,
    [
      text(`## Summary
\`slugify\` replaced every non-alphanumeric character with its own dash, so runs of spaces and punctuation became several dashes and the ends kept theirs. It now replaces each run of separators with a single dash and trims dashes from both ends (\`src/slugify.js\`).

## Verification
\`node --test\`: 3 tests, all passing (the "collapses separators and trims the ends" test failed before the change).

## Risks
- Titles made only of separators now give an empty slug; callers that need a non-empty slug should check for it.
- Non-ASCII letters are still treated as separators, as before.`),
    ],
    { input: 9, cacheWrite: 380, cacheRead: 4_213, output: 172 },
  ),
];
