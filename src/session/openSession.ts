import type Anthropic from '@anthropic-ai/sdk';
import type { CleanRoom } from '../git/cleanRoom.js';
import type { Octokit } from '../github/octokit.js';
import { emptyReport, type ApprovalRecord, type RunReport } from '../records/report.js';
import type { Task } from '../records/task.js';
import type { SecretFound } from '../secrets/secretVariants.js';
import type { Toolbox } from '../tools/types.js';
import type { ContinueCommand } from '../trigger/phrase.js';
import { answerNothingPending, answerPending, planResume } from './resume.js';
import { topUpAnswer } from './topUp.js';
import type { SavedSession } from './savedSession.js';
import { saveSession } from './sessionStore.js';

/** A session ready to work: fresh, or a paused one continued. */
export interface OpenSession {
  task: Task;
  /** The issue or PR the session belongs to; prompt runs have none. */
  thread?: number;
  repository: string;
  resumed?: SavedSession;
  decision?: 'approve' | 'deny';
  /** `continue`: a session a budget ended, continued with a fresh budget (the amount given, if one was). */
  topUp?: { amountUsd?: number; by: string };
  /** Dollars spent on this session by earlier runs. */
  spentBefore: number;
  /** Said in the PR body and the summary. */
  notices: string[];
}

/**
 * Opens the session a run works in. A reply on a thread with a paused
 * session continues it (of two racing replies, one); `continue` tops up a
 * session a budget ended; a bare decision with nothing pending, or a
 * `continue` with nothing to continue, is answered and runs nothing; a
 * session that has spent max_total_cost_usd is put back untouched for a
 * later run with a larger bound.
 */
export async function openSession(opts: {
  room: CleanRoom;
  task: Task;
  reply?: { text: string; author: string };
  command?: ContinueCommand;
  github?: { octokit: Octokit; owner: string; repo: string };
  repository: string;
  maxTotalCostUsd: number;
  runUrl?: string;
  redact: (text: string) => string;
  findSecret: (data: string) => SecretFound | undefined;
  log: (line: string) => void;
}): Promise<{ kind: 'stop'; report: RunReport } | ({ kind: 'open' } & OpenSession)> {
  const { task, reply, repository } = opts;
  const thread = task.source.kind === 'prompt' ? undefined : task.source.number;
  const stop = (report: RunReport) => ({ kind: 'stop' as const, report });
  const plan =
    reply && thread !== undefined
      ? await planResume({ room: opts.room, thread, repository, reply: reply.text, command: opts.command })
      : { kind: 'fresh' as const };
  if (plan.kind === 'raced') return stop(emptyReport('skipped', `another run already resumed the session on #${thread}`, { runUrl: opts.runUrl }));
  if (plan.kind === 'nothing-pending' || plan.kind === 'nothing-to-continue' || plan.kind === 'bad-command') {
    await answerNothingPending({ github: opts.github, thread: thread!, reason: plan.reason, log: opts.log });
    return stop(emptyReport(plan.kind === 'bad-command' ? 'failed' : 'skipped', plan.reason, { runUrl: opts.runUrl }));
  }
  if (plan.kind === 'fresh') return { kind: 'open', task, thread, repository, spentBefore: 0, notices: plan.notice ? [plan.notice] : [] };

  const resumed = plan.state;
  if (resumed.totalCostUsd >= opts.maxTotalCostUsd) {
    await saveSession({ room: opts.room, redact: opts.redact, findSecret: opts.findSecret, state: resumed });
    const reason = `max_total_cost_usd reached across runs: $${resumed.totalCostUsd.toFixed(4)} of $${opts.maxTotalCostUsd} spent on this session`;
    // A top-up asked for in the thread is answered there: nothing ran.
    if (plan.kind === 'top-up') await answerNothingPending({ github: opts.github, thread: thread!, reason: `${reason}, so nothing ran`, log: opts.log });
    return stop(emptyReport('budget-exhausted', reason, { stoppedBy: 'cost', runUrl: opts.runUrl }));
  }
  return {
    kind: 'open',
    task: { ...task, title: resumed.task.title, instruction: resumed.task.instruction },
    thread,
    repository,
    resumed,
    decision: plan.kind === 'resume' ? plan.decision : undefined,
    topUp: plan.kind === 'top-up' ? { amountUsd: plan.amountUsd, by: reply!.author } : undefined,
    spentBefore: resumed.totalCostUsd,
    notices: [],
  };
}

/**
 * The conversation to continue and the answer to what it asked — an
 * approved command runs now, through the toolbox, and the model and the
 * report learn exactly how it went. Undefined for a fresh session.
 */
export async function answerOpenSession(
  session: OpenSession,
  reply: { text: string; author: string } | undefined,
  toolbox: Toolbox,
): Promise<{ resume?: { messages: Anthropic.Messages.MessageParam[]; answer: Anthropic.Messages.ContentBlockParam[] }; approval?: ApprovalRecord }> {
  if (!session.resumed || !reply) return {};
  const messages = session.resumed.messages as Anthropic.Messages.MessageParam[];
  if (session.topUp) return { resume: { messages, answer: topUpAnswer(session.resumed, session.topUp) } };
  const { blocks, approval } = await answerPending({ state: session.resumed, reply: reply.text, author: reply.author, decision: session.decision, toolbox });
  return { resume: { messages, answer: blocks }, approval };
}
