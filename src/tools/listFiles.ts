import { z } from 'zod';
import { runProcess } from '../exec/runProcess.js';
import { ToolInputError } from './errors.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { resolveInWorkspace, statOrUndefined } from './workspace.js';

export const listFilesInput = z.object({
  path: z.string().optional().describe('directory (default: repository root)'),
  pattern: z.string().optional().describe('glob, e.g. "*.ts" or "src/**/*.test.js"'),
  limit: z.number().int().min(1).max(5000).optional().describe('default 500'),
});

const DEFAULT_LIMIT = 500;
/** File lists of huge monorepos still fit; only `limit` names are shown anyway. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;
const GIT_TIMEOUT_MS = 60_000;

/**
 * Files git tracks or would add (untracked, not ignored), so .gitignore holds
 * and node_modules or build output never drown the answer. Files deleted
 * from the working tree but still tracked are left out: they cannot be read.
 */
export async function listFiles(ctx: ToolContext, input: z.infer<typeof listFilesInput>): Promise<ToolOutcome> {
  const dir = await resolveInWorkspace(ctx.workspace, input.path ?? '.', { forWrite: false });
  if (!(await statOrUndefined(dir.absolute))) throw new ToolInputError(`path "${input.path}" does not exist`);
  const pathspec = toPathspec(dir.relative, input.pattern);

  const listed = await lsFiles(ctx, ['--cached', '--others', '--exclude-standard', '--deduplicate'], pathspec);
  const deleted = new Set(await lsFiles(ctx, ['--deleted'], pathspec));
  const files = [...new Set(listed.filter((file) => !deleted.has(file) && !ctx.privateFiles?.isPrivate(file)))].sort();

  if (files.length === 0) {
    const where = dir.relative === '.' ? '' : ` under ${dir.relative}`;
    return { content: input.pattern ? `No files${where} match ${input.pattern}.` : `No files${where}.`, isError: false };
  }
  const limit = input.limit ?? DEFAULT_LIMIT;
  const shown = files.slice(0, limit).join('\n');
  const rest = files.length - limit;
  return { content: rest > 0 ? `${shown}\n… and ${rest} more (narrow with path or pattern)` : shown, isError: false };
}

/**
 * One pathspec for git: the directory literally (names may hold `*` or `:`),
 * or the pattern as a glob under it. A bare `*.ts` matches at any depth, as
 * people mean it; a pattern with a `/` is anchored at the directory.
 */
function toPathspec(directory: string, pattern: string | undefined): string {
  if (!pattern) return `:(literal)${directory}`;
  const base = directory === '.' ? '' : `${directory.replace(/[*?[\]\\]/g, '\\$&')}/`;
  const glob = pattern.replace(/^\.?\//, '');
  return `:(glob)${base}${glob.includes('/') ? glob : `**/${glob}`}`;
}

async function lsFiles(ctx: ToolContext, flags: string[], pathspec: string): Promise<string[]> {
  const result = await (ctx.exec ?? runProcess)({
    file: 'git',
    args: ['ls-files', '-z', ...flags, '--', pathspec],
    cwd: ctx.workspace,
    env: ctx.env,
    timeoutMs: GIT_TIMEOUT_MS,
    signal: ctx.signal,
    maxOutputBytes: MAX_LIST_BYTES,
  });
  if (result.exitCode !== 0) {
    throw new Error(`git ls-files failed (${result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signalName}`}): ${result.output.trim()}`);
  }
  return result.output.split('\0').filter((file) => file !== '');
}
