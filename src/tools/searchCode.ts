import { z } from 'zod';
import { runProcess } from '../exec/runProcess.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { resolveInWorkspace } from './workspace.js';

export const searchCodeInput = z.object({
  pattern: z.string().min(1).describe('extended regular expression'),
  path: z.string().optional().describe('directory or file to search (default: everything)'),
  ignore_case: z.boolean().optional(),
  limit: z.number().int().min(1).max(2000).optional(),
});

const DEFAULT_LIMIT = 200;
const MAX_LINE = 300;

/** `git grep` over tracked and untracked (not ignored) text files: fast, and .gitignore holds. */
export async function searchCode(ctx: ToolContext, input: z.infer<typeof searchCodeInput>): Promise<ToolOutcome> {
  const scope = await resolveInWorkspace(ctx.workspace, input.path ?? '.', { forWrite: false });
  const args = ['grep', '-n', '-I', '--untracked', '-E', '--no-color', ...(input.ignore_case ? ['-i'] : []), '-e', input.pattern, '--', scope.relative];
  const result = await runProcess({ file: 'git', args, cwd: ctx.workspace, env: ctx.env, timeoutMs: 60_000, signal: ctx.signal, maxOutputBytes: 4 * 1024 * 1024 });
  if (result.exitCode === 1 && result.output.trim() === '') return { content: `No matches for /${input.pattern}/.`, isError: false };
  if (result.exitCode !== 0) return { content: `search_code failed: ${result.output.trim()}`, isError: true };
  const lines = result.output.split('\n').filter((line) => line !== '');
  const limit = input.limit ?? DEFAULT_LIMIT;
  const shown = lines.slice(0, limit).map((line) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line));
  const more = lines.length > limit ? [`… and ${lines.length - limit} more matches (narrow with path or a tighter pattern)`] : [];
  return { content: [...shown, ...more].join('\n'), isError: false };
}
