import type { ContinueCommand } from '../trigger/phrase.js';
import type { SavedSession } from './savedSession.js';

/** What a reply on a thread does with the session saved there (pure: the saved state is read before). */
export type ResumeChoice =
  | { kind: 'fresh'; notice?: string }
  /** A bare `approve` or `deny` with no approval waiting: answered, nothing runs. */
  | { kind: 'nothing-pending'; reason: string }
  /** `continue` with no session stopped at its budget: answered, nothing runs. */
  | { kind: 'nothing-to-continue'; reason: string }
  /** `continue $…` with an amount that is not one: answered with the form, nothing runs. */
  | { kind: 'bad-command'; reason: string }
  /** The answer to what a paused session asked. */
  | { kind: 'answer'; decision?: 'approve' | 'deny' }
  /** A session a budget ended, continued with a fresh budget (`amountUsd` dollars when given). */
  | { kind: 'top-up'; amountUsd?: number };

export type SavedOnThread = { kind: 'none' } | { kind: 'unusable'; reason: string } | { kind: 'loaded'; state: Pick<SavedSession, 'pending' | 'exhausted'> };

/**
 * A paused session takes any reply as its answer (`continue` included: it
 * is what the person said). A session a budget ended continues only on
 * `continue`; another request there starts fresh and leaves it saved. A
 * bare decision or a `continue` with nothing to act on is answered, never
 * taken as a task.
 */
export function chooseResume(opts: {
  saved: SavedOnThread;
  thread: number;
  reply: string;
  command?: ContinueCommand;
  bare?: 'approve' | 'deny';
}): ResumeChoice {
  const { saved, thread, command, bare } = opts;
  if (command && 'error' in command) return { kind: 'bad-command', reason: command.error };
  const nothingPending = (why: string): ResumeChoice => ({
    kind: 'nothing-pending',
    reason: `nothing on #${thread} waits for approval (${why}), so "${bare}" was not taken as a task and nothing ran`,
  });
  const nothingToContinue = (why: string): ResumeChoice => ({
    kind: 'nothing-to-continue',
    reason: `nothing on #${thread} to continue (${why}), so nothing ran`,
  });
  if (saved.kind === 'none') {
    if (command) return nothingToContinue('no session there stopped at its budget');
    return bare ? nothingPending('no session is paused there') : { kind: 'fresh' };
  }
  if (saved.kind === 'unusable') {
    const notice = `a saved session on #${thread} could not be used (${saved.reason})`;
    if (command) return nothingToContinue(notice);
    return bare ? nothingPending(notice) : { kind: 'fresh', notice: `${notice}; this run starts fresh` };
  }
  if (saved.state.exhausted) {
    if (command) return { kind: 'top-up', amountUsd: command.amountUsd };
    if (bare) return nothingPending('the session there stopped at its budget and waits for continue');
    return { kind: 'fresh', notice: `the session saved on #${thread} stopped at its budget; it is kept for a continue reply, and this run starts fresh` };
  }
  const word = /^\W*(approve|approved|deny|denied)\b/i.exec(opts.reply)?.[1]?.toLowerCase();
  return { kind: 'answer', decision: word ? (word.startsWith('approve') ? 'approve' : 'deny') : undefined };
}
