import { z } from 'zod';
import type { ProcessResult } from '../exec/runProcess.js';
import { blockedReason } from '../guard/blockedCommands.js';
import { approvalReason } from './pauseTools.js';
import { endNote, runShell } from './shell.js';
import type { ToolContext, ToolOutcome } from './types.js';

export const BASH_NAME = 'bash';

export const bashInput = z.object({
  // Optional because a restart-only call carries no command.
  command: z.string().optional().describe('the bash command to run'),
  restart: z.boolean().optional().describe('restart the shell (no-op: every command gets a fresh shell)'),
});

/**
 * The Anthropic-defined bash tool (`bash_20250124`). Unlike the reference
 * implementation there is no persistent shell: each command is a fresh
 * `bash -c` in the workspace root, so `cd` and variables do not carry over
 * and `restart` has nothing to reset. That trade buys a hard time limit and
 * a clean kill of the whole process group for every command.
 */
export async function runBash(ctx: ToolContext, input: z.infer<typeof bashInput>): Promise<ToolOutcome> {
  const command = input.command?.trim() ? input.command : undefined;
  if (command === undefined) {
    if (input.restart) return { content: 'shell restarted (every command runs in a fresh shell anyway)', isError: false };
    return { content: 'bash needs a non-empty command', isError: true };
  }
  // A command a person approved runs as approved: their explicit yes outranks the guard rails.
  if (!ctx.approved?.has(command.trim())) {
    const blocked = blockedReason(command, ctx.blockedCommands ?? []);
    if (blocked) return { content: blocked, isError: true };
    const needsApproval = approvalReason(command, ctx.approvalRequired ?? [], ctx.approved ?? new Set());
    if (needsApproval) return { content: needsApproval, isError: true };
  }
  return (await runCommand(ctx, command)).outcome;
}

/** Runs a command line as the bash tool does, past every guard rail: for a command a person approved. */
export async function runCommand(ctx: ToolContext, command: string): Promise<{ outcome: ToolOutcome; result: ProcessResult; note?: string }> {
  const result = await runShell(ctx, command);
  const note = endNote(result, ctx.commandTimeoutMs);
  const output = result.output.trimEnd();
  return { outcome: { content: [output === '' ? '(no output)' : output, note].filter(Boolean).join('\n'), isError: note !== undefined }, result, note };
}
