import type Anthropic from '@anthropic-ai/sdk';
import { BudgetMeter } from '../../src/agent/budget.js';
import { runAgent, type AgentOptions } from '../../src/agent/loop.js';
import type { Model, ModelReply } from '../../src/model/model.js';
import { priceForModel } from '../../src/model/pricing.js';
import type { StepRecord } from '../../src/records/session.js';
import type { ToolCall, Toolbox } from '../../src/tools/types.js';
import type { GateDecision } from '../../src/verify/gate.js';

/**
 * The loop in process, against a scripted model behind the `Model` seam: no
 * server, no SDK. Each test says what the loop sent, what it ran and how the
 * session ended — the decisions of the loop itself. (The wire and the replies
 * the real API gives are in loop.test.ts, over the real SDK.)
 */

type Block = Anthropic.Messages.ContentBlock;
type Request = Anthropic.Messages.MessageStreamParams;
type Usage = { input?: number; output?: number; cacheRead?: number; cacheWrite?: number };

const MODEL_ID = 'claude-sonnet-5-5';

function message(
  content: Block[],
  stopReason: Anthropic.Messages.StopReason = content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
): Anthropic.Messages.Message {
  return {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: MODEL_ID,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {},
  } as unknown as Anthropic.Messages.Message;
}
const said = (value: string): Block => ({ type: 'text', text: value, citations: null }) as Block;
let callCount = 0;
const call = (name: string, input: unknown): Block => ({ type: 'tool_use', id: `toolu_${(callCount += 1)}`, name, input }) as Block;

type Scripted = { message: Anthropic.Messages.Message; usage?: Usage } | ((request: Request) => Promise<never>);

/** A model that answers from a script, in order, and keeps a deep copy of every request it was sent. */
function scriptedModel(script: Scripted[]): Model & { requests: Request[] } {
  const requests: Request[] = [];
  return {
    id: MODEL_ID,
    requests,
    async send(request, signal): Promise<ModelReply> {
      requests.push(structuredClone(request));
      const next = script.shift();
      if (!next) throw new Error(`the script has no reply for request ${requests.length}`);
      if (typeof next === 'function') return next(request);
      if (signal.aborted) throw new Error('aborted');
      const usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, ...next.usage };
      return { model: MODEL_ID, message: next.message, usage, ms: 1 };
    },
  };
}

const reply = (content: Block[], usage: Usage = { input: 100, output: 50 }, stopReason?: Anthropic.Messages.StopReason): Scripted => ({
  message: message(content, stopReason),
  usage,
});

/** A toolbox that keeps a list of what it ran; `bash` answers with the command, `fail` always fails. */
function recorder(): Toolbox & { ran: ToolCall[] } {
  const ran: ToolCall[] = [];
  return {
    ran,
    definitions: [{ name: 'bash', description: 'Run a command.', input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    run: async (toolCall) => {
      ran.push(toolCall);
      const input = toolCall.input as { command?: string };
      if (toolCall.name === 'fail') return { content: 'it failed the same way', isError: true };
      return { content: `ran ${input.command ?? ''}`, isError: false, changedFiles: input.command?.startsWith('write ') ? [input.command.slice(6)] : [] };
    },
    runApproved: async () => ({ ran: false, why: 'no approvals in the loop' }),
  };
}

function agent(model: Model, toolbox: Toolbox, opts: Partial<AgentOptions> & { maxSteps?: number; maxTokens?: number } = {}) {
  const meter = new BudgetMeter(
    { maxSteps: opts.maxSteps ?? 10, maxMinutes: 10, maxTokens: opts.maxTokens ?? 1_000_000, maxCostUsd: 10 },
    priceForModel(MODEL_ID),
  );
  return runAgent({
    model,
    system: 'You are a careful agent.',
    task: 'Fix the bug.',
    toolbox,
    meter,
    maxOutputTokens: 4_000,
    contextCeilingTokens: 150_000,
    deadline: new AbortController().signal,
    cancel: new AbortController().signal,
    ...opts,
  });
}

const texts = (request: Request | undefined): string => JSON.stringify(request?.messages ?? []);

describe('the agent loop in process, against a scripted model', () => {
  it('runs each call, sends its result back in the next request, and ends completed with the final text and every step', async () => {
    const model = scriptedModel([reply([said('Looking.'), call('bash', { command: 'write a.txt' })]), reply([said('## Summary\nFixed.')])]);
    const toolbox = recorder();
    const steps: StepRecord[] = [];
    const result = await agent(model, toolbox, { onStep: (step) => steps.push(step) });

    expect(result).toMatchObject({ status: 'completed', reason: 'the agent finished', finalText: '## Summary\nFixed.', editedFiles: ['a.txt'] });
    expect(toolbox.ran.map((ran) => ran.input)).toEqual([{ command: 'write a.txt' }]);
    expect(model.requests).toHaveLength(2);
    expect(model.requests[1]!.model).toBe(MODEL_ID);
    const results = (model.requests[1]!.messages.at(-1)!.content as Anthropic.Messages.ContentBlockParam[]).filter((block) => block.type === 'tool_result');
    expect(results).toHaveLength(1);
    expect(texts(model.requests[1])).toContain('ran write a.txt');
    expect(steps.map((step) => [step.index, step.toolCalls.map((record) => record.summary)])).toEqual([
      [1, ['bash: write a.txt']],
      [2, []],
    ]);
    expect(result.spent.usage).toEqual({ input: 200, output: 100, cacheRead: 0, cacheWrite: 0 });
  });

  it('makes exactly max_steps requests, then ends budget-exhausted on steps with the work so far', async () => {
    const model = scriptedModel([1, 2, 3, 4].map((index) => reply([call('bash', { command: `write file${index}` })])));
    const result = await agent(model, recorder(), { maxSteps: 3 });

    expect(model.requests).toHaveLength(3);
    expect(result).toMatchObject({ status: 'budget-exhausted', stoppedBy: 'steps', editedFiles: ['file1', 'file2', 'file3'] });
    expect(result.steps).toHaveLength(3);
  });

  it('does not send a request whose prompt alone would cross max_tokens, judged from what the last one was billed', async () => {
    const model = scriptedModel([reply([call('bash', { command: 'ls' })], { input: 9_000, output: 100 }), reply([said('never sent')])]);
    const result = await agent(model, recorder(), { maxTokens: 9_500 });

    expect(model.requests).toHaveLength(1);
    expect(result).toMatchObject({ status: 'budget-exhausted', stoppedBy: 'tokens' });
  });

  it('hands the gate’s feedback to the model when the checks fail, and ends completed when they pass on the next try', async () => {
    const decisions: GateDecision[] = [{ accept: false, final: false, feedback: 'npm test failed: expected 2, got 3' }, { accept: true }];
    const model = scriptedModel([reply([said('Done.')]), reply([call('bash', { command: 'write fix.js' })]), reply([said('Done now.')])]);
    const result = await agent(model, recorder(), { gate: { review: async () => decisions.shift()! } });

    expect(texts(model.requests[1])).toContain('npm test failed: expected 2, got 3');
    expect(result).toMatchObject({ status: 'completed', finalText: 'Done now.', editedFiles: ['fix.js'] });
  });

  it('ends failed with the gate’s reason when it gives up, never completed', async () => {
    const model = scriptedModel([reply([said('Done.')])]);
    const result = await agent(model, recorder(), {
      gate: { review: async () => ({ accept: false, final: true, reason: 'the checks still fail after 3 attempts' }) },
    });

    expect(result).toMatchObject({ status: 'failed', reason: 'the checks still fail after 3 attempts' });
  });

  it('pauses on a question after running the turn’s other calls, and keeps the conversation and their results to resume from', async () => {
    const model = scriptedModel([reply([call('bash', { command: 'write notes.md' }), call('ask_user', { question: 'Which locale?' })])]);
    const toolbox = recorder();
    const result = await agent(model, toolbox);

    expect(toolbox.ran.map((ran) => ran.name)).toEqual(['bash']);
    expect(result.status).toBe('needs-input');
    expect(result.reason).toBe('the agent asked: Which locale?');
    expect(result.pause?.pending).toMatchObject({ kind: 'question', question: 'Which locale?' });
    expect(result.pause?.messages.map((turn) => turn.role)).toEqual(['user', 'assistant']);
    expect(result.pause?.partialResults.map((block) => block.content)).toEqual(['ran write notes.md']);
  });

  it('answers a pause call with invalid input with the error and goes on, instead of pausing', async () => {
    const model = scriptedModel([reply([call('request_approval', { command: 'npm publish' })]), reply([said('Fine, no publishing.')])]);
    const result = await agent(model, recorder());

    expect(result.status).toBe('completed');
    const answer = JSON.stringify(model.requests[1]!.messages.at(-1)!.content);
    expect(answer).toContain('Invalid input for request_approval');
    expect(answer).toContain('reason');
    expect(answer).toContain('"is_error":true');
  });

  it('warns once when the same call keeps failing, then ends stuck rather than spending the rest of the budget', async () => {
    const model = scriptedModel(Array.from({ length: 10 }, () => reply([call('fail', { command: 'npm run build' })])));
    const result = await agent(model, recorder(), { maxSteps: 10 });

    expect(result.status).toBe('stuck');
    expect(result.reason).toContain('failed 3 times with the same input');
    expect(model.requests.length).toBeLessThan(10);
    expect(model.requests.some((request) => texts(request).includes('You seem to be stuck'))).toBe(true);
  });

  it('compacts older turns into a summary of its own records when a request would come near the context ceiling, keeping the task', async () => {
    const big = 'x'.repeat(3_000);
    const model = scriptedModel([
      ...[1, 2, 3, 4, 5, 6].map((index) => reply([said(big), call('bash', { command: `write part${index}` })], { input: 1_500 * index, output: 900 })),
      reply([said('All parts written.')]),
    ]);
    const result = await agent(model, recorder(), { contextCeilingTokens: 6_000 });

    expect(result.status).toBe('completed');
    const last = model.requests.at(-1)!;
    expect(texts(last)).toContain('Fix the bug.');
    expect(texts(last)).toContain('Files changed so far:');
    expect(texts(last)).toContain('part1');
    // The summary replaced turns: the last request carries fewer turns than the conversation had.
    expect(last.messages.length).toBeLessThan(2 * 7 - 1);
  });

  it('starts a resumed session from the saved conversation with the answer, not from the task', async () => {
    const saved: Anthropic.Messages.MessageParam[] = [
      { role: 'user', content: 'Fix the bug.' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_q', name: 'ask_user', input: { question: 'Which locale?' } }] },
    ];
    const model = scriptedModel([reply([said('Used en-GB.')])]);
    const result = await agent(model, recorder(), {
      task: 'must not be sent again',
      resume: { messages: saved, answer: [{ type: 'tool_result', tool_use_id: 'toolu_q', content: 'en-GB' }] },
    });

    expect(result.status).toBe('completed');
    expect(model.requests[0]!.messages).toHaveLength(3);
    expect(texts(model.requests[0])).toContain('en-GB');
    expect(texts(model.requests[0])).not.toContain('must not be sent again');
  });

  it('ends cancelled when the run is cancelled while the model is answering, with the steps before it', async () => {
    const cancel = new AbortController();
    const model = scriptedModel([
      reply([call('bash', { command: 'write a.txt' })]),
      async () => {
        cancel.abort();
        throw new Error('request aborted');
      },
    ]);
    const result = await agent(model, recorder(), { cancel: cancel.signal });

    expect(result).toMatchObject({ status: 'cancelled', reason: 'the run was cancelled', editedFiles: ['a.txt'] });
    expect(result.steps).toHaveLength(1);
  });

  it('ends failed naming the request when the model cannot be reached, keeping what was done', async () => {
    const model = scriptedModel([
      reply([call('bash', { command: 'write a.txt' })]),
      async () => {
        throw new Error('529 overloaded after 4 retries');
      },
    ]);
    const result = await agent(model, recorder());

    expect(result).toMatchObject({ status: 'failed', reason: 'model request 2 failed: 529 overloaded after 4 retries', editedFiles: ['a.txt'] });
  });
});
