import type Anthropic from '@anthropic-ai/sdk';
import { BudgetMeter } from '../../src/agent/budget.js';
import { runAgent } from '../../src/agent/loop.js';
import { createModel } from '../../src/model/model.js';
import { priceForModel } from '../../src/model/pricing.js';
import type { ToolCall, Toolbox } from '../../src/tools/types.js';
import { cutInToolUse, refusal, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../support/fakeAnthropic.js';

/**
 * The loop against the strict fake over the real SDK, in process: what it
 * sends back after the replies the real model sometimes gives.
 */

type MessageParam = Anthropic.Messages.MessageParam;

/** A toolbox that writes files into a map, so a test sees what a call did. */
function notebook(): Toolbox & { files: Map<string, string>; calls: ToolCall[] } {
  const files = new Map<string, string>();
  const calls: ToolCall[] = [];
  return {
    files,
    calls,
    definitions: [
      {
        name: 'write_file',
        description: 'Write a file.',
        input_schema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } }, required: ['path'] },
      },
    ],
    run: async (call) => {
      calls.push(call);
      const input = call.input as { path?: string; text?: string };
      if (!input.path) return { content: 'path is required', isError: true };
      // As the real editor does with a missing new_str: an absent text writes an empty file.
      files.set(input.path, input.text ?? '');
      return { content: `wrote ${input.path}`, isError: false, changedFiles: [input.path] };
    },
    // The loop never runs approved commands itself; resuming does, before the loop starts.
    runApproved: async () => ({ ran: false, why: 'no approvals in the loop' }),
  };
}

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

function agent(toolbox: Toolbox, opts: { maxSteps?: number; gate?: Parameters<typeof runAgent>[0]['gate'] } = {}) {
  return runAgent({
    model: createModel({
      id: 'claude-sonnet-5-5',
      access: { provider: 'anthropic', apiKey: 'test-key', baseUrl: fake.url, gateway: { auth: 'x-api-key', headers: {} }, secrets: [] },
      maxRetries: 0,
    }),
    system: 'You are a careful agent.',
    task: 'Write the notes.',
    toolbox,
    meter: new BudgetMeter({ maxSteps: opts.maxSteps ?? 10, maxMinutes: 10, maxTokens: 1_000_000, maxCostUsd: 10 }, priceForModel('claude-sonnet-5-5')),
    maxOutputTokens: 4_000,
    contextCeilingTokens: 150_000,
    deadline: new AbortController().signal,
    cancel: new AbortController().signal,
    gate: opts.gate,
  });
}

const sent = (index: number): MessageParam[] => fake.requests[index]!.body.messages;
const lastUserBlocks = (index: number): Array<Record<string, any>> => sent(index).at(-1)!.content as Array<Record<string, any>>;

describe('runAgent with the replies the real model sometimes gives', () => {
  it('never sends an empty assistant turn back, asks the model to continue, and does not count the empty reply as done', async () => {
    const toolbox = notebook();
    fake.script(reply([toolUse('write_file', { path: 'a.md', text: 'A' })]), reply([]), reply([text('All written.')]));
    const result = await agent(toolbox);

    expect(result).toMatchObject({ status: 'completed', finalText: 'All written.' });
    expect(result.steps).toHaveLength(3);
    const third = sent(2);
    expect(third.filter((message) => message.role === 'assistant')).toHaveLength(1);
    // The documented remedy: a new user message that asks to continue, after the unchanged conversation.
    expect(third).toHaveLength(4);
    expect(third.slice(0, 3).map(withoutCacheControl)).toEqual(sent(1).map(withoutCacheControl));
    expect(third.at(-1)).toMatchObject({
      role: 'user',
      content: [
        { type: 'text', text: expect.stringMatching(/^Your last reply was empty\. Please continue/) },
        { type: 'text', text: expect.stringMatching(/^Budget left: 8 of 10 steps/) },
      ],
    });
  });

  it('ends a model that keeps replying empty after a bounded number of tries, not as completed', async () => {
    fake.script(reply([toolUse('write_file', { path: 'a.md', text: 'A' })]));
    fake.setDefault(reply([]));
    const result = await agent(notebook());

    expect(result.status).toBe('stuck');
    expect(result.reason).toBe('the model replied with nothing 3 times in a row, even when asked to continue');
    expect(fake.requests).toHaveLength(4);
  });

  it('ends an empty first reply as stuck too, never as completed, even with a gate that would accept', async () => {
    fake.setDefault(reply([text(' ')], { stop_reason: 'end_turn' }));
    let reviews = 0;
    const result = await agent(notebook(), { gate: { review: async () => ((reviews += 1), { accept: true }) } });

    expect(result.status).toBe('stuck');
    expect(reviews).toBe(0);
  });

  it('strips empty text blocks before the turn is sent back', async () => {
    const toolbox = notebook();
    fake.script(reply([text(''), toolUse('write_file', { path: 'a.md', text: 'A' }, 'toolu_a'), text('\n')]), reply([text('Done.')]));
    const result = await agent(toolbox);

    expect(result.status).toBe('completed');
    expect(sent(1)[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_a', name: 'write_file', input: { path: 'a.md', text: 'A' }, caller: { type: 'direct' } }],
    });
  });

  it('sends the budget line inside the last tool_result, never as text after the results', async () => {
    fake.script(
      reply([toolUse('write_file', { path: 'a.md', text: 'A' }, 'toolu_a'), toolUse('write_file', { path: 'b.md', text: 'B' }, 'toolu_b')]),
      reply([text('Done.')]),
    );
    await agent(notebook());

    const blocks = lastUserBlocks(1);
    expect(blocks.map((block) => block.type)).toEqual(['tool_result', 'tool_result']);
    expect(blocks[0]!.content).toBe('wrote a.md');
    expect(blocks[1]!.content).toEqual([
      { type: 'text', text: 'wrote b.md' },
      { type: 'text', text: expect.stringMatching(/^Budget left: 9 of 10 steps/) },
    ]);
  });

  it('ends a refusal as declined, with what the API said, and runs none of its tool calls', async () => {
    const toolbox = notebook();
    fake.script(
      reply([toolUse('write_file', { path: 'a.md', text: 'A' })]),
      refusal([text('I will write'), toolUse('write_file', { path: 'b.md', text: 'B' })], {
        category: 'cyber',
        explanation: 'This looks like exploit development.',
      }),
    );
    const result = await agent(toolbox);

    expect(result.status).toBe('declined');
    expect(result.reason).toBe('the model declined to continue (stop_reason "refusal", category cyber: This looks like exploit development.)');
    expect([...toolbox.files.keys()]).toEqual(['a.md']);
    expect(result.editedFiles).toEqual(['a.md']);
    expect(result.steps).toHaveLength(2);
  });

  it('does not run a tool call cut at max_tokens: answers it with an error and asks for smaller pieces', async () => {
    const toolbox = notebook();
    const meant = { path: 'notes.md', text: 'A long text the model never finished.' };
    fake.script(
      cutInToolUse([text('Writing.'), toolUse('write_file', { path: 'a.md', text: 'A' }, 'toolu_a'), toolUse('write_file', meant, 'toolu_cut')], 24),
      reply([toolUse('write_file', meant, 'toolu_again')]),
      reply([text('Done.')]),
    );
    const result = await agent(toolbox);

    expect(result.status).toBe('completed');
    // The complete call before it ran; the cut one did not, so no half-written file ever existed.
    expect(toolbox.calls.map((call) => call.id)).toEqual(['toolu_a', 'toolu_again']);
    expect(toolbox.files.get('notes.md')).toBe(meant.text);
    const answer = lastUserBlocks(1);
    expect(answer.map((block) => [block.tool_use_id, block.is_error])).toEqual([
      ['toolu_a', false],
      ['toolu_cut', true],
    ]);
    expect(JSON.stringify(answer[1]!.content)).toMatch(
      /was cut off at the output length limit \(max_tokens, 4000 tokens\) before its input was complete, so it was not run/,
    );
    expect(JSON.stringify(answer[1]!.content)).toContain('smaller pieces');
    expect(result.steps[0]!.toolCalls.map((call) => [call.summary, call.isError])).toEqual([
      ['write_file: a.md', false],
      ['write_file (cut at the output limit; not run)', true],
    ]);
  });
});

function withoutCacheControl(message: MessageParam): MessageParam {
  return JSON.parse(JSON.stringify(message, (key, value: unknown) => (key === 'cache_control' ? undefined : value)));
}
