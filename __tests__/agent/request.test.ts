import type Anthropic from '@anthropic-ai/sdk';
import { buildRequest } from '../../src/agent/request.js';

const messages: Anthropic.Messages.MessageParam[] = [
  { role: 'user', content: [{ type: 'text', text: 'task' }] },
  { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'list_files', input: {} }] },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 't1', content: 'a.ts' },
      { type: 'text', text: 'Budget left: 9' },
    ],
  },
  { role: 'assistant', content: [{ type: 'tool_use', id: 't2', name: 'list_files', input: {} }] },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 't2', content: 'b.ts' },
      { type: 'text', text: 'Budget left: 8' },
    ],
  },
];

describe('buildRequest', () => {
  const request = buildRequest({ model: 'm', system: 'S', tools: [], messages, maxOutputTokens: 1000 });

  it('marks the system block and the last block of the two newest user turns, nothing else', () => {
    expect(request.system).toEqual([{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }]);
    const marked = request.messages.flatMap((message, index) =>
      typeof message.content === 'string'
        ? []
        : message.content.flatMap((block, blockIndex) => ('cache_control' in block && block.cache_control ? [`${index}.${blockIndex}`] : [])),
    );
    expect(marked).toEqual(['2.1', '4.1']);
  });

  it('leaves the stored conversation untouched', () => {
    expect(JSON.stringify(messages)).not.toContain('cache_control');
  });
});
