import type Anthropic from '@anthropic-ai/sdk';
import type { CleanRoom } from '../publish/cleanRoom.js';
import type { Pending, SavedSession } from './savedSession.js';
import { claimSession, loadSession } from './sessionStore.js';

export type ResumePlan =
  | { kind: 'fresh'; notice?: string }
  | { kind: 'raced' }
  | { kind: 'resume'; state: SavedSession; decision?: 'approve' | 'deny' };

/**
 * A reply on a thread with a paused session continues it. Corrupt or foreign
 * state falls back to a fresh session with a notice; of two replies racing,
 * only the one that claims the saved state resumes.
 */
export async function planResume(opts: { room: CleanRoom; thread: number; repository: string; reply: string }): Promise<ResumePlan> {
  const loaded = await loadSession(opts);
  if (loaded.kind === 'none') return { kind: 'fresh' };
  if (loaded.kind === 'unusable') return { kind: 'fresh', notice: `a saved session on #${opts.thread} could not be used (${loaded.reason}); this run starts fresh` };
  if (!(await claimSession({ room: opts.room, thread: opts.thread, commit: loaded.commit }))) return { kind: 'raced' };
  const word = /^\W*(approve|approved|deny|denied)\b/i.exec(opts.reply)?.[1]?.toLowerCase();
  return { kind: 'resume', state: loaded.state, decision: word ? (word.startsWith('approve') ? 'approve' : 'deny') : undefined };
}

/** The answer the paused tool call gets: the reply, or the approved command's output. */
export function answerBlocks(opts: {
  state: SavedSession;
  reply: string;
  author: string;
  decision?: 'approve' | 'deny';
  commandOutput?: { content: string; isError: boolean };
}): Anthropic.Messages.ContentBlockParam[] {
  const { pending } = opts.state;
  const partial = opts.state.partialResults as Anthropic.Messages.ToolResultBlockParam[];
  const content =
    pending.kind === 'question'
      ? `@${opts.author} replied:\n${opts.reply}`
      : opts.decision === 'approve' && opts.commandOutput
        ? `Approved by @${opts.author}. The command ran:\n${opts.commandOutput.content}`
        : opts.decision === 'deny'
          ? `Denied by @${opts.author}; the command was not run. Find another way or finish and say why it is needed.`
          : `Not approved: @${opts.author} replied without approve or deny:\n${opts.reply}`;
  return [...partial, { type: 'tool_result', tool_use_id: pending.toolUseId, content, is_error: opts.commandOutput?.isError ?? false }];
}

/** What the person should reply, for the progress comment and the summary. */
export function replyHint(pending: Pending, phrase: string): string {
  return pending.kind === 'question'
    ? `**The agent asks:** ${pending.question}\n\nReply with \`${phrase} <your answer>\` to continue this session.`
    : `**The agent asks for approval to run:**\n\n\`\`\`\n${pending.command}\n\`\`\`\n\nWhy: ${pending.reason}\n\nReply \`${phrase} approve\` to run it and continue, or \`${phrase} deny\`.`;
}
