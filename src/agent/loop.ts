import Anthropic from '@anthropic-ai/sdk';
import { errorMessage } from '../text/errorMessage.js';
import type { Toolbox } from '../tools/types.js';
import { costUsd } from '../model/pricing.js';
import { usageFromResponse } from '../model/usage.js';
import type { GateDecision } from '../verify/gate.js';
import type { BudgetMeter } from './budget.js';
import { compactConversation } from './compact.js';
import { estimateTokens, HIDDEN_TOOL_PROMPT_TOKENS } from './estimate.js';
import { buildRequest } from './request.js';
import { runToolCalls } from './runTools.js';
import { StuckDetector } from './stuckDetector.js';
import type { Transcript } from './transcript.js';
import { CONTINUE_PROMPT, cutCallResult, cutToolCall, echoableContent, refusalReason, userTurn } from './turns.js';
import type { SessionResult, StepRecord } from '../records/session.js';
import { isPauseTool, PAUSE_TOOLS } from '../tools/pauseTools.js';
import type { Pending } from '../records/pending.js';
import { z } from 'zod';

type MessageParam = Anthropic.Messages.MessageParam;

export interface AgentOptions {
  client: Anthropic;
  model: string;
  system: string;
  task: string;
  toolbox: Toolbox;
  meter: BudgetMeter;
  maxOutputTokens: number;
  /** Older turns are compacted into a summary when a request would come near this many tokens. */
  contextCeilingTokens: number;
  /** Aborts at the agent deadline; `cancel` aborts on SIGINT/SIGTERM. */
  deadline: AbortSignal;
  cancel: AbortSignal;
  /** Reviews the work when the model says it is done (the verification gate). */
  gate?: { review(): Promise<GateDecision> };
  transcript?: Transcript;
  /** A paused session continued: its conversation, and the answer to what it asked. */
  resume?: { messages: MessageParam[]; answer: Anthropic.Messages.ContentBlockParam[] };
  onStep?: (step: StepRecord) => void;
}

/** A stream cut mid-message is not retried by the SDK (it already had a 200), so the loop retries it. */
const STREAM_ATTEMPTS = 3;
/** Empty replies in a row, each answered by a request to continue, before the run gives up on the model. */
const MAX_EMPTY_REPLIES = 3;

export async function runAgent(opts: AgentOptions): Promise<SessionResult> {
  const { client, meter, toolbox, transcript } = opts;
  const signal = AbortSignal.any([opts.deadline, opts.cancel]);
  let messages: MessageParam[] = opts.resume
    ? [...opts.resume.messages, { role: 'user', content: userTurn(opts.resume.answer, [meter.describeRemaining()]) }]
    : [{ role: 'user', content: userTurn([{ type: 'text', text: opts.task }], [meter.describeRemaining()]) }];
  const steps: StepRecord[] = [];
  const editedFiles = new Set<string>();
  const stuck = new StuckDetector();
  const fullPrompt = () => estimateTokens({ system: opts.system, tools: toolbox.definitions, messages }) + HIDDEN_TOOL_PROMPT_TOKENS;
  let promptTokens = fullPrompt();
  let newPromptTokens = promptTokens;
  let finalText = '';
  let sentMessages = 0;
  let lastChecks: string | undefined;
  let emptyReplies = 0;

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
    if (promptTokens > opts.contextCeilingTokens * 0.8) {
      messages = compactConversation(messages, { keepTokens: opts.contextCeilingTokens * 0.3, estimate: estimateTokens, record: { ...workRecord(steps, editedFiles), lastChecks } });
      promptTokens = newPromptTokens = fullPrompt();
      sentMessages = 0;
      transcript?.record({ type: 'compaction', step: steps.length, promptTokens });
    }
    const plan = meter.planRequest({ promptTokensEstimate: promptTokens, newPromptTokens, maxOutputTokens: opts.maxOutputTokens });
    if (!plan.ok) return end('budget-exhausted', plan.reason, plan.budget);
    const index = meter.startStep();
    transcript?.record({ type: 'request', step: index, maxOutputTokens: plan.maxOutputTokens, newMessages: messages.slice(sentMessages) });
    sentMessages = messages.length;

    const modelStart = performance.now();
    let response: Anthropic.Messages.Message;
    try {
      const request = buildRequest({ model: opts.model, system: opts.system, tools: toolbox.definitions, messages, maxOutputTokens: plan.maxOutputTokens });
      response = await streamWithRetry(client, request, signal);
    } catch (error) {
      return interrupted() ?? end('failed', `model request ${index} failed: ${errorMessage(error)}`);
    }
    const modelMs = performance.now() - modelStart;
    const usage = usageFromResponse(response.usage);
    meter.record(usage);
    transcript?.record({ type: 'response', step: index, stopReason: response.stop_reason, content: response.content, usage, ms: modelMs });
    // What a refusal had begun to say is not the agent's report, and none of its calls run.
    const declined = response.stop_reason === 'refusal';
    const content = echoableContent(response.content);
    // A turn with nothing in it is never sent back: the API rejects it, and the model would stay silent.
    const empty = content.length === 0 && !declined;
    emptyReplies = empty ? emptyReplies + 1 : 0;
    if (!empty) messages.push({ role: 'assistant', content });
    if (!declined) finalText = textOf(response) || finalText;

    const toolStart = performance.now();
    const allCalls = declined ? [] : content.filter((block): block is Anthropic.Messages.ToolUseBlock => block.type === 'tool_use');
    // A call cut at max_tokens has a half-built input: it is answered, never run.
    const cut = declined ? undefined : cutToolCall(response.stop_reason, content);
    const complete = allCalls.filter((block) => block !== cut);
    // A question or an approval request ends the run; the other calls of the turn still run.
    const pauseCall = complete.find((block) => isPauseTool(block.name));
    const calls = complete.filter((block) => block !== pauseCall);
    const round = await runToolCalls({ calls, toolbox, step: index, transcript });
    if (cut) {
      const result = cutCallResult(cut, plan.maxOutputTokens);
      round.results.push(result);
      round.records.push({ name: cut.name, summary: `${cut.name} (cut at the output limit; not run)`, isError: true, ms: 0 });
      round.outcomes.push({ name: cut.name, input: cut.input, output: String(result.content), isError: true });
    }
    round.changedFiles.forEach((file) => editedFiles.add(file));
    lastChecks = round.outcomes.findLast((outcome) => outcome.name === 'run_checks')?.output ?? lastChecks;
    // The model finished its turn without a tool call: the gate decides whether it is done. An empty reply never is.
    const finished = allCalls.length === 0 && response.stop_reason !== 'max_tokens' && !empty && !declined;
    const decision: GateDecision = finished && opts.gate ? await opts.gate.review() : { accept: true };
    const verdict = stuck.observe(round.outcomes, round.changedFiles.length > 0);
    const toolMs = performance.now() - toolStart;
    const step: StepRecord = {
      index, modelMs, toolMs, ownMs: performance.now() - stepStart - modelMs - toolMs,
      usage, costUsd: costUsd(usage, meter.price), stopReason: response.stop_reason, toolCalls: round.records,
    };
    steps.push(step);
    transcript?.record({ type: 'step', step: index, modelMs, toolMs, ownMs: step.ownMs, costUsd: step.costUsd });
    opts.onStep?.(step);

    const stop = interrupted();
    if (stop) return stop;
    if (declined) return end('declined', refusalReason(response));
    const pending = pauseCall ? pendingOf(pauseCall) : undefined;
    if (pauseCall && pending && !('error' in pending)) {
      const result = end(pending.kind === 'question' ? 'needs-input' : 'needs-approval', pending.kind === 'question' ? `the agent asked: ${pending.question}` : `the agent asks for approval to run: ${pending.command}`);
      return { ...result, pause: { pending, messages: [...messages], partialResults: round.results } };
    }
    if (pauseCall && pending && 'error' in pending) {
      round.results.push({ type: 'tool_result', tool_use_id: pauseCall.id, content: pending.error, is_error: true });
    }
    if (finished && decision.accept) return end('completed', 'the agent finished');
    if (!decision.accept && decision.final) return end('failed', decision.reason);
    if (!decision.accept) lastChecks = decision.feedback;
    if (verdict.kind === 'stuck') return end('stuck', `the agent was stuck and did not recover after a warning: ${verdict.evidence}`);
    if (emptyReplies >= MAX_EMPTY_REPLIES) return end('stuck', `the model replied with nothing ${emptyReplies} times in a row, even when asked to continue`);
    if (empty) {
      // The conversation stays as it was; a new user turn asks the model to go on.
      const next: MessageParam = { role: 'user', content: userTurn([{ type: 'text', text: CONTINUE_PROMPT }], [meter.describeRemaining()]) };
      messages.push(next);
      newPromptTokens = estimateTokens(next.content);
      promptTokens = usage.input + usage.cacheRead + usage.cacheWrite + newPromptTokens;
      continue;
    }
    const notes = [
      !decision.accept ? decision.feedback : allCalls.length === 0 ? 'Your reply was cut at its length limit; continue.' : undefined,
      verdict.kind === 'warn' ? verdict.message : undefined,
      meter.describeRemaining(),
    ].filter((note): note is string => note !== undefined);
    const next: MessageParam = { role: 'user', content: userTurn(round.results, notes) };
    messages.push(next);
    // What was billed last time is the prefix now; only the answer and the new turn are new.
    newPromptTokens = estimateTokens(content) + estimateTokens(next.content);
    promptTokens = usage.input + usage.cacheRead + usage.cacheWrite + newPromptTokens;
  }
}

function pendingOf(call: Anthropic.Messages.ToolUseBlock): Pending | { error: string } {
  if (call.name === 'ask_user') {
    const input = PAUSE_TOOLS.ask_user.safeParse(call.input);
    return input.success ? { kind: 'question', toolUseId: call.id, question: input.data.question } : { error: `Invalid input for ask_user:\n${z.prettifyError(input.error)}` };
  }
  const input = PAUSE_TOOLS.request_approval.safeParse(call.input);
  return input.success
    ? { kind: 'approval', toolUseId: call.id, command: input.data.command, reason: input.data.reason }
    : { error: `Invalid input for request_approval:\n${z.prettifyError(input.error)}` };
}

function workRecord(steps: StepRecord[], editedFiles: Set<string>) {
  return {
    editedFiles: [...editedFiles].sort(),
    actions: steps.flatMap((step) => step.toolCalls.map((call) => `${call.isError ? '✘' : '✔'} ${call.summary}`)),
  };
}

async function streamWithRetry(client: Anthropic, request: Anthropic.Messages.MessageStreamParams, signal: AbortSignal): Promise<Anthropic.Messages.Message> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.messages.stream(request, { signal }).finalMessage();
    } catch (error) {
      // HTTP errors were already retried by the SDK; what is left to retry is a stream that broke after its 200.
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
