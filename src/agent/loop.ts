import type Anthropic from '@anthropic-ai/sdk';
import type { Model, ModelReply } from '../model/model.js';
import type { SessionResult, StepRecord } from '../records/session.js';
import { errorMessage } from '../text/errorMessage.js';
import type { Toolbox } from '../tools/types.js';
import type { GateDecision } from '../verify/gate.js';
import { BudgetRefusal, type BudgetMeter } from './budget.js';
import { ContextWindow } from './contextWindow.js';
import { readReply, type ReplyReading } from './reply.js';
import { answerCalls, type ToolRound } from './runTools.js';
import { buildRequest } from './request.js';
import { StuckDetector, type StuckVerdict } from './stuckDetector.js';
import type { Transcript } from './transcript.js';
import { CONTINUE_PROMPT, refusalReason, userTurn } from './turns.js';
import { MAX_EMPTY_REPLIES, WorkSoFar } from './workSoFar.js';

type MessageParam = Anthropic.Messages.MessageParam;
type ContentBlockParam = Anthropic.Messages.ContentBlockParam;

export interface AgentOptions {
  model: Model;
  system: string;
  /** The first user message's blocks (or its text). */
  task: string | Anthropic.Messages.ContentBlockParam[];
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

/** The agent loop: ask the budget, send, record, run the calls, decide, and go again until something ends the session. */
export async function runAgent(opts: AgentOptions): Promise<SessionResult> {
  const { meter, toolbox, transcript } = opts;
  const signal = AbortSignal.any([opts.deadline, opts.cancel]);
  const window = new ContextWindow({ system: opts.system, tools: toolbox.definitions, messages: firstTurns(opts), ceilingTokens: opts.contextCeilingTokens });
  const work = new WorkSoFar(meter);
  const stuck = new StuckDetector();
  for (;;) {
    const stepStart = performance.now();
    if (window.compactIfNear(work.record())) transcript?.record({ type: 'compaction', step: work.steps.length, promptTokens: window.promptTokens });
    const plan = meter.planRequest({
      promptTokensEstimate: window.promptTokens,
      newPromptTokens: window.newPromptTokens,
      maxOutputTokens: opts.maxOutputTokens,
      model: opts.model.id,
    });
    if (!plan.ok) return withResumePoint(work.end('budget-exhausted', plan.reason, plan.budget), window.messages);
    const index = meter.startStep();
    transcript?.record({ type: 'request', step: index, maxOutputTokens: plan.maxOutputTokens, newMessages: window.takeUnsent() });
    let reply: ModelReply;
    try {
      reply = await send(opts, window.messages, plan.maxOutputTokens, signal);
    } catch (error) {
      return interrupted(opts, work, window.messages) ?? notAnswered(error, index, work, window.messages);
    }
    meter.record(reply.usage, reply.model);
    const { message, usage, ms } = reply;
    transcript?.record({ type: 'response', step: index, stopReason: message.stop_reason, content: message.content, usage, ms });
    const reading = readReply(reply.message);
    work.heard(reading);
    if (!reading.empty) window.addReply(reading.content);

    const toolStart = performance.now();
    const round = await answerCalls(reading, { toolbox, step: index, maxOutputTokens: plan.maxOutputTokens, transcript });
    work.did(round);
    const decision: GateDecision = reading.finished && opts.gate ? await opts.gate.review() : { accept: true };
    if (!decision.accept && !decision.final) work.lastChecks = decision.feedback;
    const verdict = stuck.observe(round.outcomes, round.changedFiles.length > 0);
    const step = work.addStep({ index, reply, toolCalls: round.records, stepStart, toolStart });
    transcript?.record({ type: 'step', step: index, modelMs: step.modelMs, toolMs: step.toolMs, ownMs: step.ownMs, costUsd: step.costUsd });
    opts.onStep?.(step);

    const ended =
      interrupted(opts, work, window.messages, round.results) ?? endOfTurn({ reply, reading, round, decision, verdict, work, messages: window.messages });
    if (ended) return ended;
    window.addTurn(
      nextTurn({ reading, round, decision, verdict, remaining: meter.describeRemaining() }),
      reply.usage,
      reading.empty ? undefined : reading.content,
    );
  }
}

function send(opts: AgentOptions, messages: MessageParam[], maxOutputTokens: number, signal: AbortSignal): Promise<ModelReply> {
  const { model, system, toolbox } = opts;
  return model.send(buildRequest({ model: model.id, system, tools: toolbox.definitions, messages, maxOutputTokens }), signal);
}

/** A request that got no reply: a failure, or — re-planned for the fallback model — one the budget no longer allows. */
function notAnswered(error: unknown, index: number, work: WorkSoFar, messages: MessageParam[]): SessionResult {
  if (error instanceof BudgetRefusal) return withResumePoint(work.end('budget-exhausted', error.plan.reason, error.plan.budget), messages);
  return work.end('failed', `model request ${index} failed: ${errorMessage(error)}`);
}

/** The task, or — when a paused session resumes — its saved conversation with the answer to what it asked. */
function firstTurns(opts: AgentOptions): MessageParam[] {
  const remaining = [opts.meter.describeRemaining()];
  if (opts.resume) return [...opts.resume.messages, { role: 'user', content: userTurn(opts.resume.answer, remaining) }];
  const task: Anthropic.Messages.ContentBlockParam[] = typeof opts.task === 'string' ? [{ type: 'text', text: opts.task }] : opts.task;
  return [{ role: 'user', content: userTurn(task, remaining) }];
}

function interrupted(opts: AgentOptions, work: WorkSoFar, messages: MessageParam[], results?: ContentBlockParam[]): SessionResult | undefined {
  if (opts.cancel.aborted) return work.end('cancelled', 'the run was cancelled');
  if (opts.deadline.aborted) return withResumePoint(work.end('budget-exhausted', 'max_minutes reached while working', 'minutes'), messages, results);
  return undefined;
}

/**
 * Where a top-up picks a session up that a budget ended: the conversation up
 * to its last assistant turn, and what the next user turn starts with — the
 * results of that turn's calls, or the user turn that was never sent.
 */
function withResumePoint(result: SessionResult, messages: MessageParam[], results: ContentBlockParam[] = []): SessionResult {
  const last = messages.at(-1);
  if (last?.role !== 'user') return { ...result, resumePoint: { messages: [...messages], carry: [...results] } };
  const carry = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : [...last.content];
  return { ...result, resumePoint: { messages: messages.slice(0, -1), carry } };
}

interface Turn {
  reading: ReplyReading;
  round: ToolRound;
  decision: GateDecision;
  verdict: StuckVerdict;
}

/** How the session ends after this turn, if it does. */
function endOfTurn(turn: Turn & { reply: ModelReply; work: WorkSoFar; messages: MessageParam[] }): SessionResult | undefined {
  const { reading, round, decision, work } = turn;
  if (reading.declined) return work.end('declined', refusalReason(turn.reply.message));
  if (round.pending) {
    const { pending } = round;
    const asked =
      pending.kind === 'question'
        ? work.end('needs-input', `the agent asked: ${pending.question}`)
        : work.end('needs-approval', `the agent asks for approval to run: ${pending.command}`);
    return { ...asked, pause: { pending, messages: [...turn.messages], partialResults: round.results } };
  }
  if (reading.finished && decision.accept) return work.end('completed', 'the agent finished');
  if (!decision.accept && decision.final) return work.end('failed', decision.reason);
  if (turn.verdict.kind === 'stuck') return work.end('stuck', `the agent was stuck and did not recover after a warning: ${turn.verdict.evidence}`);
  if (work.emptyReplies >= MAX_EMPTY_REPLIES)
    return work.end('stuck', `the model replied with nothing ${work.emptyReplies} times in a row, even when asked to continue`);
  return undefined;
}

/** The user turn that goes on: the calls' results with the notes for the model, or, after an empty reply, a request to continue. */
function nextTurn(turn: Turn & { remaining: string }): MessageParam {
  const { reading, decision, verdict } = turn;
  // After an empty reply the conversation stays as it was; a new user turn asks the model to go on.
  if (reading.empty) return { role: 'user', content: userTurn([{ type: 'text', text: CONTINUE_PROMPT }], [turn.remaining]) };
  const notes = [
    !decision.accept && !decision.final ? decision.feedback : !reading.madeCalls ? 'Your reply was cut at its length limit; continue.' : undefined,
    verdict.kind === 'warn' ? verdict.message : undefined,
    turn.remaining,
  ].filter((note): note is string => note !== undefined);
  return { role: 'user', content: userTurn(turn.round.results, notes) };
}
