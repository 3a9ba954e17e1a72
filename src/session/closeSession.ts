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

/**
 * Closes a session that paused to ask: saves it where the next run finds it
 * (beside the branch its work was pushed to) and says what the person should
 * reply. A session that did not pause needs nothing. A save that fails is a
 * note, never a failed run: the work is published either way.
 */
export async function closeSession(opts: {
  session: OpenSession;
  result: SessionResult;
  branch: string;
  room: CleanRoom;
  phrase: string;
  blockedCommands: RegExp[];
  redact: (text: string) => string;
  findSecret: (data: string) => SecretFound | undefined;
}): Promise<{ awaiting?: string; notes: string[] }> {
  const { session, result } = opts;
  if (!result.pause || session.thread === undefined) return { notes: [] };
  const awaiting = replyHint(result.pause.pending, opts.phrase, opts.blockedCommands);
  const state: SavedSession = {
    version: 1,
    repository: session.repository,
    thread: session.thread,
    branch: opts.branch,
    savedAt: new Date().toISOString(),
    totalCostUsd: session.spentBefore + result.spent.costUsd,
    runs: (session.resumed?.runs ?? 0) + 1,
    task: { title: session.task.title, instruction: session.task.instruction },
    messages: boundedMessages(result.pause.messages) as SavedSession['messages'],
    partialResults: result.pause.partialResults,
    pending: result.pause.pending,
  };
  try {
    await saveSession({ room: opts.room, redact: opts.redact, findSecret: opts.findSecret, state });
    return { awaiting, notes: [] };
  } catch (error) {
    return { awaiting, notes: [`the session could not be saved, so a reply will start fresh: ${errorMessage(error)}`] };
  }
}

/** Saved conversations stay small: older turns are compacted past the limit. */
function boundedMessages(all: Anthropic.Messages.MessageParam[]): Anthropic.Messages.MessageParam[] {
  // Images are megabytes of base64: the saved copy keeps a line saying one was shown instead.
  const messages = withoutImages(all);
  if (Buffer.byteLength(JSON.stringify(messages)) <= MAX_SAVED_BYTES) return messages;
  return compactConversation(messages, { keepTokens: MAX_SAVED_BYTES / 8, estimate: estimateTokens, record: { editedFiles: [], actions: [] } });
}
