import type Anthropic from '@anthropic-ai/sdk';
import { REPLY_MARKER } from '../text/markers.js';
import type { CleanRoom } from '../git/cleanRoom.js';
import type { Octokit } from '../github/octokit.js';
import { codeBlock, codeSpan, quote, revealInvisible } from '../text/format.js';
import { inertBlock, inertInline } from '../text/inertMarkdown.js';
import type { ApprovalRecord } from '../records/report.js';
import type { Toolbox } from '../tools/types.js';
import type { SavedSession } from './savedSession.js';
import type { Pending } from '../records/pending.js';
import { claimSession, loadSession } from './sessionStore.js';

export type ResumePlan =
  | { kind: 'fresh'; notice?: string }
  | { kind: 'raced' }
  /** A bare `approve` or `deny` with no approval waiting: answered, nothing runs. */
  | { kind: 'nothing-pending'; reason: string }
  | { kind: 'resume'; state: SavedSession; decision?: 'approve' | 'deny' };

/**
 * A reply on a thread with a paused session continues it. Corrupt or foreign
 * state falls back to a fresh session with a notice; of two replies racing,
 * only the one that claims the saved state resumes. A reply that is only a
 * decision (`approve`, `deny`) where no approval waits is not a task.
 */
export async function planResume(opts: { room: CleanRoom; thread: number; repository: string; reply: string }): Promise<ResumePlan> {
  const loaded = await loadSession(opts);
  const bare = bareDecision(opts.reply);
  if (loaded.kind === 'none') return bare ? nothingPending(bare, opts.thread, 'no session is paused there') : { kind: 'fresh' };
  if (loaded.kind === 'unusable') {
    const notice = `a saved session on #${opts.thread} could not be used (${loaded.reason})`;
    return bare ? nothingPending(bare, opts.thread, notice) : { kind: 'fresh', notice: `${notice}; this run starts fresh` };
  }
  if (!(await claimSession({ room: opts.room, thread: opts.thread, commit: loaded.commit }))) return { kind: 'raced' };
  const word = /^\W*(approve|approved|deny|denied)\b/i.exec(opts.reply)?.[1]?.toLowerCase();
  return { kind: 'resume', state: loaded.state, decision: word ? (word.startsWith('approve') ? 'approve' : 'deny') : undefined };
}

/**
 * `approve` or `deny` said alone (punctuation and a note after a dash or
 * colon allowed): a decision, never a task. "approve the refactor" or "deny
 * requests without a token" stay tasks when nothing waits.
 */
export function bareDecision(reply: string): 'approve' | 'deny' | undefined {
  const match = /^\W*(approve|approved|deny|denied)(?:\s*(?:$|[.!,;:—–])|\s+-)/i.exec(reply.trim());
  return match ? (match[1]!.toLowerCase().startsWith('approve') ? 'approve' : 'deny') : undefined;
}

function nothingPending(decision: 'approve' | 'deny', thread: number, why: string): ResumePlan {
  return { kind: 'nothing-pending', reason: `nothing on #${thread} waits for approval (${why}), so "${decision}" was not taken as a task and nothing ran` };
}

/** The one-line answer on the thread to a decision with nothing to decide. */
export async function answerNothingPending(opts: {
  github?: { octokit: Octokit; owner: string; repo: string };
  thread: number;
  reason: string;
  log: (line: string) => void;
}): Promise<void> {
  if (!opts.github) return;
  const { octokit, owner, repo } = opts.github;
  // The marker keeps this comment from ever being read as a request.
  const body = `${REPLY_MARKER}\nNightshift: ${inertInline(opts.reason)}.`;
  await octokit.rest.issues
    .createComment({ owner, repo, issue_number: opts.thread, body })
    .catch((error: unknown) => opts.log(`could not answer on #${opts.thread}: ${(error as Error).message}`));
}

/**
 * The answer the paused tool call gets, and the record of a decision. An
 * approved command runs here, past the guard rails (a person's explicit yes
 * outranks them), and the model is told exactly what happened: that it ran
 * and how it ended, or that it did not run and why.
 */
export async function answerPending(opts: {
  state: SavedSession;
  reply: string;
  author: string;
  decision?: 'approve' | 'deny';
  toolbox: Pick<Toolbox, 'runApproved'>;
}): Promise<{ blocks: Anthropic.Messages.ContentBlockParam[]; approval?: ApprovalRecord }> {
  const { pending } = opts.state;
  const partial = opts.state.partialResults as Anthropic.Messages.ToolResultBlockParam[];
  const answer = (content: string, isError = false): Anthropic.Messages.ContentBlockParam[] => [
    ...partial,
    { type: 'tool_result', tool_use_id: pending.toolUseId, content, is_error: isError },
  ];
  if (pending.kind === 'question') return { blocks: answer(`@${opts.author} replied:\n${opts.reply}`) };
  const record = { command: pending.command, by: opts.author, exitCode: null, outputTail: '' };
  if (opts.decision === 'deny') {
    return {
      blocks: answer(`Denied by @${opts.author}; the command was not run. Find another way or finish and say why it is needed.`),
      approval: { ...record, decision: 'denied', ran: false },
    };
  }
  if (opts.decision !== 'approve')
    return { blocks: answer(`Not approved: @${opts.author} replied without approve or deny, so the command was not run:\n${opts.reply}`) };

  const run = await opts.toolbox.runApproved(pending.command);
  if (!run.ran)
    return {
      blocks: answer(`Approved by @${opts.author}, but the command did not run: ${run.why}.`, true),
      approval: { ...record, decision: 'approved', ran: false, endNote: run.why, blockedBy: run.blockedBy },
    };
  const rail = run.blockedBy ? ` (it matches blocked_commands /${run.blockedBy}/ and ran anyway, because a person approved it)` : '';
  return {
    blocks: answer(`Approved by @${opts.author}. The command ran${rail}:\n${run.outcome.content}`, run.outcome.isError),
    approval: {
      ...record,
      decision: 'approved',
      ran: true,
      exitCode: run.exitCode,
      endNote: run.note?.replace(/^\[|\]$/g, ''),
      outputTail: run.output,
      blockedBy: run.blockedBy,
    },
  };
}

/**
 * What the person should reply, for the progress comment and the summary.
 * The question is inert markdown; the command is shown whole, in a fence it
 * cannot close, with invisible characters spelled out: what a person
 * approves is exactly what will run.
 */
export function replyHint(pending: Pending, phrase: string, blockedCommands: RegExp[] = []): string {
  if (pending.kind === 'question') {
    const question = pending.question.trim();
    const asked = /[\r\n]/.test(question) ? `**The agent asks:**\n\n${quote(inertBlock(question))}` : `**The agent asks:** ${inertInline(question)}`;
    return `${asked}\n\nReply with ${codeSpan(`${phrase} <your answer>`)} to continue this session.`;
  }
  const blocked = blockedCommands.find((pattern) => pattern.test(pending.command));
  return [
    '**The agent asks for approval to run:**',
    '',
    codeBlock(revealInvisible(pending.command)),
    '',
    ...(revealInvisible(pending.command) !== pending.command ? ['It contains invisible characters, spelled out above as `\\u{…}`.', ''] : []),
    ...(blocked ? [`It also matches ${codeSpan(blocked.source)} of \`blocked_commands\`: approving it runs it anyway.`, ''] : []),
    `Why: ${inertInline(pending.reason)}`,
    '',
    `Reply ${codeSpan(`${phrase} approve`)} to run it and continue, or ${codeSpan(`${phrase} deny`)}.`,
  ].join('\n');
}
