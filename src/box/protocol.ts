import { z } from 'zod';

/**
 * What the action and the box's keeper say to each other, one JSON object a
 * line over the keeper's stdin and stdout. Both ends parse what they read:
 * each trusts the other's code, not the bytes on the pipe.
 */

const env = z.record(z.string(), z.string());

export const toKeeper = z.discriminatedUnion('type', [
  /** First message: who the agent is, and the network it gets. */
  z.object({
    type: z.literal('start'),
    uid: z.number().int().positive(),
    gid: z.number().int().positive(),
    /** The box has a network namespace of its own: bring its loopback up. */
    ownNetwork: z.boolean(),
    /** Unix socket of the egress proxy outside, to forward 127.0.0.1:<port> to. */
    forwardTo: z.string().optional(),
  }),
  z.object({
    type: z.literal('run'),
    id: z.number().int(),
    file: z.string(),
    args: z.array(z.string()),
    cwd: z.string(),
    env,
    timeoutMs: z.number().nonnegative(),
    maxOutputBytes: z.number().int().positive(),
  }),
  z.object({ type: z.literal('kill'), id: z.number().int() }),
  /** Kill everything, confirm nothing is left, answer `closed`, exit. */
  z.object({ type: z.literal('close') }),
]);
export type ToKeeper = z.infer<typeof toKeeper>;

const processResult = z.object({
  exitCode: z.number().int().nullable(),
  signalName: z.string().nullable(),
  output: z.string(),
  timedOut: z.boolean(),
  aborted: z.boolean(),
  durationMs: z.number(),
  truncatedBytes: z.number(),
});

export const fromKeeper = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), proxyPort: z.number().int().optional() }),
  z.object({ type: z.literal('result'), id: z.number().int(), result: processResult, strays: z.number().int() }),
  /** `left`: processes still in the box after the kill; 0 is the promise. */
  z.object({ type: z.literal('closed'), killed: z.number().int(), left: z.number().int() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type FromKeeper = z.infer<typeof fromKeeper>;

/** One line of the pipe, parsed; a line that is not a message is an error naming it. */
export function parseLine<T>(schema: z.ZodType<T>, line: string): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`box protocol: not JSON: ${line.slice(0, 200)}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`box protocol: unexpected message ${line.slice(0, 200)}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
