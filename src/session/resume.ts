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
import type { ContinueCommand } from '../trigger/phrase.js';
import { chooseResume, type ResumeChoice } from './planResume.js';
import { claimSession, loadSession } from './sessionStore.js';

export type ResumePlan =
  | Exclude<ResumeChoice, { kind: 'answer' | 'top-up' }>
  | { kind: 'raced' }
  | { kind: 'resume'; state: SavedSession; decision?: 'approve' | 'deny' }
  | { kind: 'top-up'; state: SavedSession; amountUsd?: number };

/**
 * A reply on a thread with a saved session continues it: a paused one on
 * any reply, one a budget ended on `continue` (chooseResume decides).
 * Corrupt or foreign state falls back to a fresh session with a notice; of
 * two replies racing, only the one that claims the saved state resumes.
 */
export async function planResume(opts: { room: CleanRoom; thread: number; repository: string; reply: string; command?: ContinueCommand }): Promise<ResumePlan> {
  // An amount that is not one is answered before anything is read.
  if (opts.command && 'error' in opts.command) return { kind: 'bad-command', reason: opts.command.error };
  const loaded = await loadSession(opts);
  const choice = chooseResume({ saved: loaded, thread: opts.thread, reply: opts.reply, command: opts.command, bare: bareDecision(opts.reply) });
  if (choice.kind !== 'answer' && choice.kind !== 'top-up') return choice;
  if (loaded.kind !== 'loaded') return { kind: 'fresh' };
  if (!(await claimSession({ room: opts.room, thread: opts.thread, commit: loaded.commit }))) return { kind: 'raced' };
  return choice.kind === 'top-up'
    ? { kind: 'top-up', state: loaded.state, amountUsd: choice.amountUsd }
    : { kind: 'resume', state: loaded.state, decision: choice.decision };
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
  // Only a paused session has a pending call; one a budget ended is answered by topUpAnswer.
  if (!pending) return { blocks: partial };
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
