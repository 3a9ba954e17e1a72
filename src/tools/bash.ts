import { z } from 'zod';
import { endNote, runShell } from './shell.js';
import type { ToolContext, ToolOutcome } from './types.js';

export const bashInput = z.object({
  command: z.string().optional(),
  restart: z.boolean().optional(),
});

/**
 * The Anthropic-defined bash tool. Each command runs in a fresh shell (no
 * state carries between calls), so `restart` has nothing to reset.
 */
export async function runBash(ctx: ToolContext, input: z.infer<typeof bashInput>): Promise<ToolOutcome> {
  if (input.restart) return { content: 'shell restarted (every command already runs in a fresh shell)', isError: false };
  if (!input.command || input.command.trim() === '') return { content: 'bash needs a command', isError: true };
  const result = await runShell({
    command: input.command, cwd: ctx.workspace, env: ctx.env, timeoutMs: ctx.commandTimeoutMs, signal: ctx.signal, maxOutputBytes: ctx.maxOutputBytes,
  });
  const note = endNote(result, ctx.commandTimeoutMs);
  const output = result.output.trimEnd();
  return { content: [output || '(no output)', note].filter(Boolean).join('\n'), isError: note !== undefined };
}
