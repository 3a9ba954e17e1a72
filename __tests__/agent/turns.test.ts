import type Anthropic from '@anthropic-ai/sdk';
import { echoableContent, refusalReason, userTurn } from '../../src/agent/turns.js';

describe('userTurn', () => {
  it('puts the notes inside the last tool_result, after its own output', () => {
    const turn = userTurn(
      [
        { type: 'tool_result', tool_use_id: 'a', content: 'one' },
        { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'two' }] },
      ],
      ['Budget left: 3'],
    );
    expect(turn).toEqual([
      { type: 'tool_result', tool_use_id: 'a', content: 'one' },
      {
        type: 'tool_result',
        tool_use_id: 'b',
        content: [
          { type: 'text', text: 'two' },
          { type: 'text', text: 'Budget left: 3' },
        ],
      },
    ]);
  });

  it('never makes an empty text block out of an empty result', () => {
    expect(userTurn([{ type: 'tool_result', tool_use_id: 'a', content: '' }], ['Budget left: 3', ' '])).toEqual([
      { type: 'tool_result', tool_use_id: 'a', content: [{ type: 'text', text: 'Budget left: 3' }] },
    ]);
  });

  it('appends the notes as text when the turn has no tool result to carry them', () => {
    expect(userTurn([{ type: 'text', text: 'The task.' }], ['Budget left: 3'])).toEqual([
      { type: 'text', text: 'The task.' },
      { type: 'text', text: 'Budget left: 3' },
    ]);
    expect(userTurn([], ['Checks failed.', 'Budget left: 3'])).toEqual([
      { type: 'text', text: 'Checks failed.' },
      { type: 'text', text: 'Budget left: 3' },
    ]);
  });
});

describe('echoableContent', () => {
  it('drops empty and whitespace-only text blocks and keeps the rest in order', () => {
    const use: Anthropic.Messages.ToolUseBlock = { type: 'tool_use', id: 't', name: 'bash', input: {}, caller: { type: 'direct' } };
    const say = (text: string): Anthropic.Messages.TextBlock => ({ type: 'text', text, citations: null });
    expect(echoableContent([say(''), say('Hi'), say(' \n'), use])).toEqual([say('Hi'), use]);
    expect(echoableContent([say('')])).toEqual([]);
  });
});

describe('refusalReason', () => {
  const refused = (stop_details: Anthropic.Messages.RefusalStopDetails | null) => ({ stop_details }) as Anthropic.Messages.Message;
  it('says the model declined, with the category and explanation when the API gave them', () => {
    expect(refusalReason(refused(null))).toBe('the model declined to continue (stop_reason "refusal")');
    expect(refusalReason(refused({ type: 'refusal', category: 'bio', explanation: null }))).toBe(
      'the model declined to continue (stop_reason "refusal", category bio)',
    );
    expect(refusalReason(refused({ type: 'refusal', category: null, explanation: 'Not this.' }))).toBe(
      'the model declined to continue (stop_reason "refusal", Not this.)',
    );
  });
});
