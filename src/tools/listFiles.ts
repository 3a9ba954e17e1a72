import { z } from 'zod';
import { runProcess } from '../exec/runProcess.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { resolveInWorkspace } from './workspace.js';

export const listFilesInput = z.object({
  path: z.string().optional().describe('directory to list (default: the repository root)'),
  pattern: z.string().optional().describe('git pathspec glob, e.g. "*.ts" or "src/**/*.test.js"'),
  limit: z.number().int().min(1).max(5000).optional(),
});

const DEFAULT_LIMIT = 500;

/** Files git knows or would add (tracked, plus untracked not ignored): .gitignore holds. */
export async function listFiles(ctx: ToolContext, input: z.infer<typeof listFilesInput>): Promise<ToolOutcome> {
  const dir = await resolveInWorkspace(ctx.workspace, input.path ?? '.', { forWrite: false });
  const base = dir.relative === '.' ? '' : `${dir.relative}/`;
  // A bare `*.ts` should match in every directory below, as people mean it.
  const pathspec = input.pattern
    ? `:(glob)${base}${input.pattern.includes('/') ? input.pattern : `**/${input.pattern}`}`
    : base === '' ? '.' : dir.relative;
  const result = await runProcess({
    file: 'git',
    args: ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate', '--', pathspec],
    cwd: ctx.workspace, env: ctx.env, timeoutMs: 60_000, signal: ctx.signal, maxOutputBytes: 64 * 1024 * 1024,
  });
  if (result.exitCode !== 0) return { content: `list_files failed: ${result.output.trim()}`, isError: true };
  const files = result.output.split('\0').filter((file) => file !== '');
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (files.length === 0) return { content: 'No files match.', isError: false };
  const shown = files.slice(0, limit).join('\n');
  return { content: files.length > limit ? `${shown}\n… and ${files.length - limit} more (narrow with path or pattern)` : shown, isError: false };
}
