import type Anthropic from '@anthropic-ai/sdk';
import { compactConversation } from '../../src/agent/compact.js';
import { estimateTokens } from '../../src/agent/estimate.js';

type MessageParam = Anthropic.Messages.MessageParam;

function conversation(turns: number): MessageParam[] {
  const messages: MessageParam[] = [
    {
      role: 'user',
      content: [
        { type: 'text', text: '<task>Fix it</task>' },
        { type: 'text', text: 'Budget left: …' },
      ],
    },
  ];
  for (let turn = 0; turn < turns; turn += 1) {
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text: `note ${turn}` },
        { type: 'tool_use', id: `t${turn}`, name: 'bash', input: { command: `step ${turn}` } },
      ],
    });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: `t${turn}`, content: 'x'.repeat(3_000) }] });
  }
  return messages;
}

describe('compactConversation', () => {
  const record = { editedFiles: ['src/a.ts'], actions: ['✔ bash: step 0', '✘ bash: step 1'], lastChecks: '✘ npm test' };

  it('keeps the task and the newest turns whole, summarising the rest', () => {
    const compacted = compactConversation(conversation(20), { keepTokens: 3_000, estimate: estimateTokens, record });
    expect(compacted[0]!.role).toBe('user');
    const first = compacted[0]!.content as Anthropic.Messages.TextBlockParam[];
    expect(first[0]!.text).toBe('<task>Fix it</task>');
    expect(first[1]!.text).toContain('Files changed so far: src/a.ts.');
    expect(first[1]!.text).toContain('- ✘ bash: step 1');
    expect(first[1]!.text).toContain('What the checks said last:\n✘ npm test');
    expect(first[1]!.text).toContain('- note 17');
    expect(first[1]!.text).not.toContain('- note 0\n');
    expect(compacted[1]!.role).toBe('assistant');
    expect(compacted.at(-1)).toEqual(conversation(20).at(-1));
    expect(estimateTokens(compacted)).toBeLessThan(estimateTokens(conversation(20)) / 4);
  });

  it('pairs every tool_use that remains with its tool_result', () => {
    const compacted = compactConversation(conversation(20), { keepTokens: 5_000, estimate: estimateTokens, record });
    const uses = compacted.flatMap((m) =>
      typeof m.content === 'string' ? [] : m.content.filter((b) => b.type === 'tool_use').map((b) => (b as { id: string }).id),
    );
    const results = compacted.flatMap((m) =>
      typeof m.content === 'string' ? [] : m.content.filter((b) => b.type === 'tool_result').map((b) => (b as { tool_use_id: string }).tool_use_id),
    );
    expect(results).toEqual(uses);
  });
});
