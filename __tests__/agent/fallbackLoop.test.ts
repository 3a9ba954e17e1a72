import Anthropic from '@anthropic-ai/sdk';
import { admitAt, BudgetMeter } from '../../src/agent/budget.js';
import { runAgent } from '../../src/agent/loop.js';
import { ModelWithFallback } from '../../src/model/fallback.js';
import type { Model, ModelReply } from '../../src/model/model.js';
import { costUsd, priceForModel } from '../../src/model/pricing.js';
import type { Toolbox } from '../../src/tools/types.js';

/**
 * The loop with a model that switches to its fallback, in process: the steps say which
 * model answered each and what it cost at that model's price, and the meter plans the
 * requests after the switch at the fallback's price.
 */

type Request = Anthropic.Messages.MessageStreamParams;
type Block = Anthropic.Messages.ContentBlock;

const PRIMARY = 'claude-opus-5-1';
const FALLBACK = 'claude-haiku-5-0';
const USAGE = { input: 1_000, output: 200, cacheRead: 0, cacheWrite: 0 };

function message(content: Block[]): Anthropic.Messages.Message {
  const stop_reason = content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
  return {
    id: 'msg',
    type: 'message',
    role: 'assistant',
    model: 'x',
    content,
    stop_reason,
    stop_sequence: null,
    usage: {},
  } as unknown as Anthropic.Messages.Message;
}
const bash = (command: string): Block => ({ type: 'tool_use', id: `toolu_${command.replace(/\W/g, '_')}`, name: 'bash', input: { command } }) as Block;
const done: Block = { type: 'text', text: '## Summary\nDone.', citations: null } as Block;

function scripted(id: string, script: Array<Block[] | Error>): Model & { requests: Request[] } {
  const requests: Request[] = [];
  return {
    id,
    requests,
    async send(request): Promise<ModelReply> {
      requests.push(structuredClone(request));
      const next = script.shift();
      if (next === undefined) throw new Error(`${id}: nothing scripted`);
      if (next instanceof Error) throw next;
      return { model: id, message: message(next), usage: USAGE, ms: 1 };
    },
  };
}

const toolbox: Toolbox = {
  definitions: [{ name: 'bash', description: 'Run a command.', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
  run: async (toolCall) => ({ content: `ran ${(toolCall.input as { command: string }).command}`, isError: false }),
  runApproved: async () => ({ ran: false, why: 'none' }),
};

function run(model: Model) {
  const meter = new BudgetMeter(
    { maxSteps: 10, maxMinutes: 10, maxTokens: 1_000_000, maxCostUsd: 10 },
    new Map([
      [PRIMARY, priceForModel(PRIMARY)],
      [FALLBACK, priceForModel(FALLBACK)],
    ]),
  );
  const result = runAgent({
    model,
    system: 'You are careful.',
    task: 'Fix it.',
    toolbox,
    meter,
    maxOutputTokens: 4_000,
    contextCeilingTokens: 150_000,
    deadline: new AbortController().signal,
    cancel: new AbortController().signal,
  });
  return { meter, result };
}

const overloaded = () =>
  Anthropic.APIError.generate(529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, new Headers());

describe('the loop on a model with a fallback', () => {
  it('goes on from the same conversation, each step priced at the model that answered it', async () => {
    const primary = scripted(PRIMARY, [[bash('step one')], overloaded()]);
    const fallback = scripted(FALLBACK, [[bash('step two')], [done]]);
    const { meter, result } = run(new ModelWithFallback({ primary, fallback }));
    const session = await result;

    expect(session.status).toBe('completed');
    expect(session.steps.map((step) => [step.index, step.model, step.costUsd])).toEqual([
      [1, PRIMARY, costUsd(USAGE, priceForModel(PRIMARY))],
      [2, FALLBACK, costUsd(USAGE, priceForModel(FALLBACK))],
      [3, FALLBACK, costUsd(USAGE, priceForModel(FALLBACK))],
    ]);
    // The request the primary failed went to the fallback as it was, but for the model.
    expect({ ...fallback.requests[0], model: PRIMARY }).toEqual(primary.requests[1]);
    expect(fallback.requests[1]!.model).toBe(FALLBACK);
    expect(meter.snapshot().byModel?.map((spend) => [spend.model, spend.replies])).toEqual([
      [PRIMARY, 1],
      [FALLBACK, 2],
    ]);
    expect(session.spent.costUsd).toBeCloseTo(costUsd(USAGE, priceForModel(PRIMARY)) + 2 * costUsd(USAGE, priceForModel(FALLBACK)), 12);
  });

  it('ends budget-exhausted, with a resume point, when the re-sent request does not fit the dollars left at the fallback price', async () => {
    // The cheap model first; the dear fallback would need more than the $0.005 left for this prompt and a useful answer.
    const cheap = scripted(FALLBACK, [overloaded()]);
    const dear = scripted(PRIMARY, [[done]]);
    const meter = new BudgetMeter(
      { maxSteps: 10, maxMinutes: 10, maxTokens: 1_000_000, maxCostUsd: 0.005 },
      new Map([
        [FALLBACK, priceForModel(FALLBACK)],
        [PRIMARY, priceForModel(PRIMARY)],
      ]),
    );
    const session = await runAgent({
      model: new ModelWithFallback({ primary: cheap, fallback: dear, admit: admitAt(meter) }),
      system: 'You are careful. '.repeat(200),
      task: 'Fix it.',
      toolbox,
      meter,
      maxOutputTokens: 4_000,
      contextCeilingTokens: 150_000,
      deadline: new AbortController().signal,
      cancel: new AbortController().signal,
    });

    expect(cheap.requests).toHaveLength(1);
    expect(dear.requests).toHaveLength(0);
    expect(session).toMatchObject({ status: 'budget-exhausted', stoppedBy: 'cost' });
    expect(session.reason).toMatch(
      /^max_cost_usd reached: \$0\.0000 of \$0\.005 spent; the next request \(to claude-opus-5-1\) would cost about \$0\.\d{4} before its answer$/,
    );
    expect(session.resumePoint?.messages).toEqual([]);
    expect(session.resumePoint?.carry.at(0)).toMatchObject({ type: 'text', text: 'Fix it.' });
  });
});
