import { z } from 'zod';
import { pendingSchema } from '../records/pending.js';

/**
 * What a paused run leaves for the next one: the conversation (compacted),
 * what it has spent, where its work is, and what it is waiting for. Parsed
 * with zod on load: a corrupt or foreign state is refused, never trusted.
 */
export const savedSession = z.object({
  version: z.literal(1),
  repository: z.string(),
  thread: z.number().int().positive(),
  branch: z.string(),
  savedAt: z.string(),
  totalCostUsd: z.number().nonnegative(),
  runs: z.number().int().positive(),
  task: z.object({ title: z.string(), instruction: z.string() }),
  /** The conversation up to and including the assistant turn that paused. */
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.unknown() })).min(1),
  /** Results of the other tool calls of that turn, sent along with the answer. */
  partialResults: z.array(z.unknown()),
  pending: pendingSchema,
});

export type SavedSession = z.infer<typeof savedSession>;

/** Saved state larger than this is compacted before it is stored. */
export const MAX_SAVED_BYTES = 512 * 1024;
