import { z } from 'zod';

/** What a paused session waits for: an answer to a question, or a decision on a command. */
export const pendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('question'), toolUseId: z.string(), question: z.string() }),
  z.object({ kind: z.literal('approval'), toolUseId: z.string(), command: z.string(), reason: z.string() }),
]);

export type Pending = z.infer<typeof pendingSchema>;
