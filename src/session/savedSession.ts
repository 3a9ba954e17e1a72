import { z } from 'zod';
import { pendingSchema } from '../records/pending.js';

/**
 * What a paused (or budget-ended) run leaves for the next one: the conversation (compacted),
 * what it has spent, where its work is, and what it is waiting for. Parsed
 * with zod on load: a corrupt or foreign state is refused, never trusted.
 */
export const savedSession = z
  .object({
    version: z.literal(1),
    repository: z.string(),
    thread: z.number().int().positive(),
    branch: z.string(),
    savedAt: z.string(),
    totalCostUsd: z.number().nonnegative(),
    runs: z.number().int().positive(),
    task: z.object({ title: z.string(), instruction: z.string() }),
    /** The conversation up to and including the assistant turn that paused (or the last one before a budget ended it). */
    messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.unknown() })),
    /** Results of the other tool calls of that turn, sent along with the answer (or, after a budget, what the next user turn starts with). */
    partialResults: z.array(z.unknown()),
    /** What a paused session waits for. */
    pending: pendingSchema.optional(),
    /** Set instead when a budget ended the session: `continue` tops it up. */
    exhausted: z.object({ budget: z.enum(['steps', 'minutes', 'tokens', 'cost']).optional(), reason: z.string() }).optional(),
  })
  .refine((state) => (state.pending === undefined) !== (state.exhausted === undefined), {
    message: 'a saved session either waits for a reply (pending) or stopped at its budget (exhausted)',
    path: ['pending'],
  })
  .refine((state) => state.exhausted !== undefined || state.messages.length > 0, { message: 'a paused session has its conversation', path: ['messages'] });

export type SavedSession = z.infer<typeof savedSession>;

/** Saved state larger than this is compacted before it is stored. */
export const MAX_SAVED_BYTES = 512 * 1024;
