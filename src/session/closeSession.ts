import type Anthropic from '@anthropic-ai/sdk';
import { compactConversation } from '../agent/compact.js';
import { estimateTokens } from '../agent/estimate.js';
import { withoutImages } from '../agent/images.js';
import type { CleanRoom } from '../git/cleanRoom.js';
import type { SessionResult } from '../records/session.js';
import type { SecretFound } from '../secrets/secretVariants.js';
import { errorMessage } from '../text/errorMessage.js';
import type { OpenSession } from './openSession.js';
import { replyHint } from './resume.js';
import { MAX_SAVED_BYTES, type SavedSession } from './savedSession.js';
import { saveSession } from './sessionStore.js';
import { continueHint } from './topUp.js';

/**
 * Closes a session that paused to ask, or that a budget ended: saves it
 * where the next run finds it (beside the branch its work was pushed to) and
 * says what the person should reply — the answer, or `continue` for a new
 * budget. Other sessions need nothing. A save that fails is a note, never a
 * failed run: the work is published either way.
 */
export async function closeSession(opts: {
  session: OpenSession;
  result: SessionResult;
  branch: string;
  room: CleanRoom;
  phrase: string;
  maxTotalCostUsd: number;
  blockedCommands: RegExp[];
  redact: (text: string) => string;
  findSecret: (data: string) => SecretFound | undefined;
}): Promise<{ awaiting?: string; notes: string[] }> {
  const { session, result } = opts;
  const paused = result.pause;
  const ended = result.status === 'budget-exhausted' ? result.resumePoint : undefined;
  if ((!paused && !ended) || session.thread === undefined) return { notes: [] };
  const totalCostUsd = session.spentBefore + result.spent.costUsd;
  const awaiting = paused
    ? replyHint(paused.pending, opts.phrase, opts.blockedCommands)
    : continueHint({ phrase: opts.phrase, totalCostUsd, maxTotalCostUsd: opts.maxTotalCostUsd });
  const state: SavedSession = {
    version: 1,
    repository: session.repository,
    thread: session.thread,
    branch: opts.branch,
    savedAt: new Date().toISOString(),
    totalCostUsd,
    runs: (session.resumed?.runs ?? 0) + 1,
    task: { title: session.task.title, instruction: session.task.instruction },
    messages: boundedMessages(paused ? paused.messages : ended!.messages) as SavedSession['messages'],
    ...(paused
      ? { partialResults: paused.partialResults, pending: paused.pending }
      : { partialResults: carryWithoutImages(ended!.carry), exhausted: { budget: result.stoppedBy, reason: result.reason } }),
  };
  try {
    await saveSession({ room: opts.room, redact: opts.redact, findSecret: opts.findSecret, state });
    return { awaiting, notes: [] };
  } catch (error) {
    const lost = paused ? 'a reply will start fresh' : 'continue will find nothing to continue';
    return { awaiting: paused ? awaiting : undefined, notes: [`the session could not be saved, so ${lost}: ${errorMessage(error)}`] };
  }
}

/** The blocks a top-up starts its first turn with, an image (the task's, before any request) left as a line saying so. */
function carryWithoutImages(carry: Anthropic.Messages.ContentBlockParam[]): unknown[] {
  const [turn] = withoutImages([{ role: 'user', content: carry }]);
  return typeof turn?.content === 'string' ? [{ type: 'text', text: turn.content }] : (turn?.content ?? []);
}

/** Saved conversations stay small: older turns are compacted past the limit. */
function boundedMessages(all: Anthropic.Messages.MessageParam[]): Anthropic.Messages.MessageParam[] {
  // Images are megabytes of base64: the saved copy keeps a line saying one was shown instead.
  const messages = withoutImages(all);
  if (Buffer.byteLength(JSON.stringify(messages)) <= MAX_SAVED_BYTES) return messages;
  return compactConversation(messages, { keepTokens: MAX_SAVED_BYTES / 8, estimate: estimateTokens, record: { editedFiles: [], actions: [] } });
}
