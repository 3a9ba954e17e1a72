import Anthropic from '@anthropic-ai/sdk';
import type { ToolCall, Toolbox } from '../tools/types.js';
import { costUsd } from '../model/pricing.js';
import { usageFromResponse } from '../model/usage.js';
import type { BudgetMeter } from './budget.js';
import { estimateTokens, HIDDEN_TOOL_PROMPT_TOKENS } from './estimate.js';
import { buildRequest } from './request.js';
import { describeToolCall } from './describe.js';
import type { SessionResult, StepRecord, ToolCallRecord } from './types.js';
import type { GateDecision } from '../verify/gate.js';
import type { Transcript } from './transcript.js';

type MessageParam = Anthropic.Messages.MessageParam;

export interface AgentOptions {
  client: Anthropic;
  model: string;
  system: string;
  task: string;
  toolbox: Toolbox;
  meter: BudgetMeter;
  maxOutputTokens: number;
  /** Aborts at the agent deadline; `cancel` aborts on SIGINT/SIGTERM. */
  deadline: AbortSignal;
  cancel: AbortSignal;
  /** Reviews the work when the model says it is done (the verification gate). */
  gate?: { review(): Promise<GateDecision> };
  transcript?: Transcript;
  onStep?: (step: StepRecord) => void;
}

/** A stream cut mid-message is not retried by the SDK (it already had a 200), so the loop retries it. */
const STREAM_ATTEMPTS = 3;

export async function runAgent(opts: AgentOptions): Promise<SessionResult> {
  const { client, meter, toolbox } = opts;
  const signal = AbortSignal.any([opts.deadline, opts.cancel]);
  const messages: MessageParam[] = [
    { role: 'user', content: [{ type: 'text', text: opts.task }, { type: 'text', text: meter.describeRemaining() }] },
  ];
  const steps: StepRecord[] = [];
  const editedFiles = new Set<string>();
  let promptTokensEstimate = estimateTokens({ system: opts.system, tools: toolbox.definitions, messages }) + HIDDEN_TOOL_PROMPT_TOKENS;
  let newPromptTokens = promptTokensEstimate;
  let finalText = '';
  let sentMessages = 0;

  const end = (status: SessionResult['status'], reason: string, stoppedBy?: SessionResult['stoppedBy']): SessionResult => ({
    status, reason, stoppedBy, finalText, steps, spent: meter.snapshot(), editedFiles: [...editedFiles].sort(),
  });
  const interrupted = (): SessionResult | undefined => {
    if (opts.cancel.aborted) return end('cancelled', 'the run was cancelled');
    if (opts.deadline.aborted) return end('budget-exhausted', 'max_minutes reached while working', 'minutes');
    return undefined;
  };

  for (;;) {
    const stepStart = performance.now();
    const plan = meter.planRequest({ promptTokensEstimate, newPromptTokens, maxOutputTokens: opts.maxOutputTokens });
    if (!plan.ok) return end('budget-exhausted', plan.reason, plan.budget);
    const index = meter.startStep();
    opts.transcript?.record({ type: 'request', step: index, maxOutputTokens: plan.maxOutputTokens, newMessages: messages.slice(sentMessages) });
    sentMessages = messages.length;
    const request = buildRequest({ model: opts.model, system: opts.system, tools: toolbox.definitions, messages, maxOutputTokens: plan.maxOutputTokens });

    const modelStart = performance.now();
    let response: Anthropic.Messages.Message;
    try {
      response = await streamWithRetry(client, request, signal);
    } catch (error) {
      return interrupted() ?? end('failed', `model request ${index} failed: ${errorText(error)}`);
    }
    const modelMs = performance.now() - modelStart;
    const usage = usageFromResponse(response.usage);
    opts.transcript?.record({ type: 'response', step: index, stopReason: response.stop_reason, content: response.content, usage, ms: modelMs });
    meter.record(usage);
    messages.push({ role: 'assistant', content: response.content });
    finalText = textOf(response) || finalText;

    const calls = response.content.filter((block): block is Anthropic.Messages.ToolUseBlock => block.type === 'tool_use');
    const toolStart = performance.now();
    const results: Anthropic.Messages.ToolResultBlockParam[] = [];
    const toolCalls: ToolCallRecord[] = [];
    for (const block of calls) {
      const call: ToolCall = { id: block.id, name: block.name, input: block.input };
      const started = performance.now();
      const outcome = await toolbox.run(call);
      outcome.changedFiles?.forEach((file) => editedFiles.add(file));
      const ms = performance.now() - started;
      toolCalls.push({ name: call.name, summary: describeToolCall(call), isError: outcome.isError, ms });
      opts.transcript?.record({ type: 'tool', step: index, name: call.name, input: call.input, isError: outcome.isError, output: outcome.content, ms });
      results.push({ type: 'tool_result', tool_use_id: block.id, content: outcome.content || '(no output)', is_error: outcome.isError });
    }
    // The model finished its turn without a tool call: the gate decides whether it is done.
    const finished = calls.length === 0 && response.stop_reason !== 'max_tokens';
    const decision: GateDecision = finished && opts.gate ? await opts.gate.review() : { accept: true };
    const toolMs = performance.now() - toolStart;
    steps.push({
      index, modelMs, toolMs, ownMs: performance.now() - stepStart - modelMs - toolMs,
      usage, costUsd: costUsd(usage, meter.price), stopReason: response.stop_reason, toolCalls,
    });
    const step = steps[steps.length - 1]!;
    opts.transcript?.record({ type: 'step', step: index, modelMs, toolMs, ownMs: step.ownMs, costUsd: step.costUsd });
    opts.onStep?.(step);

    const stop = interrupted();
    if (stop) return stop;
    if (finished && decision.accept) {
      return end('completed', response.stop_reason === 'refusal' ? 'the model declined the task' : 'the agent finished');
    }
    if (!decision.accept && decision.final) return end('failed', decision.reason);
    const note = !decision.accept ? decision.feedback : calls.length === 0 ? 'Your reply was cut at its length limit; continue.' : undefined;
    const next: MessageParam = {
      role: 'user',
      content: [...results, ...(note ? [{ type: 'text' as const, text: note }] : []), { type: 'text', text: meter.describeRemaining() }],
    };
    messages.push(next);
    // What was billed last time is the prefix now; only the answer and the new turn are new.
    newPromptTokens = estimateTokens(response.content) + estimateTokens(next.content);
    promptTokensEstimate = usage.input + usage.cacheRead + usage.cacheWrite + newPromptTokens;
  }
}

async function streamWithRetry(
  client: Anthropic,
  request: Anthropic.Messages.MessageStreamParams,
  signal: AbortSignal,
): Promise<Anthropic.Messages.Message> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.messages.stream(request, { signal }).finalMessage();
    } catch (error) {
      const retryable = !signal.aborted && !(error instanceof Anthropic.APIError && error.status !== undefined);
      if (!retryable || attempt >= STREAM_ATTEMPTS) throw error;
    }
  }
}

function textOf(message: Anthropic.Messages.Message): string {
  return message.content
    .filter((block): block is Anthropic.Messages.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n')
    .trim();
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

