import { z } from 'zod';
import { runProcess } from '../exec/runProcess.js';
import { ToolInputError } from './errors.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { resolveInWorkspace, statOrUndefined } from './workspace.js';

export const searchCodeInput = z.object({
  pattern: z.string().min(1).describe('POSIX extended regex (no \\d: use [0-9])'),
  path: z.string().optional().describe('directory or file (default: everything)'),
  ignore_case: z.boolean().optional(),
  limit: z.number().int().min(1).max(2000).optional().describe('default 200'),
});

const DEFAULT_LIMIT = 200;
/** Minified files put a whole bundle on one line; a match's context is its start. */
const MAX_LINE_CHARS = 300;
/** Enough for any `limit` of lines; a cut only loses the exact count of the rest. */
const MAX_SEARCH_BYTES = 4 * 1024 * 1024;
const GIT_TIMEOUT_MS = 60_000;

/**
 * `git grep` over tracked and untracked (not ignored) text files: fast, on
 * every runner (ripgrep is not), and .gitignore holds. Prints `file:line:text`.
 */
export async function searchCode(ctx: ToolContext, input: z.infer<typeof searchCodeInput>): Promise<ToolOutcome> {
  const scope = await resolveInWorkspace(ctx.workspace, input.path ?? '.', { forWrite: false });
  // git grep answers a missing path with "no matches", which would mislead.
  if (!(await statOrUndefined(scope.absolute))) throw new ToolInputError(`path "${input.path}" does not exist`);
  if (ctx.privateFiles?.isPrivate(scope.relative))
    throw new ToolInputError(`path "${input.path}" is a credentials file of the run's own: the agent's tools never read it`);
  const args = [
    'grep',
    '-n',
    '-I',
    '--untracked',
    '--no-color',
    '-E',
    ...(input.ignore_case ? ['-i'] : []),
    '-e',
    input.pattern,
    '--',
    `:(literal)${scope.relative}`,
    ...(ctx.privateFiles?.inWorkspace ?? []).map((path) => `:(exclude,literal)${path}`),
  ];
  const result = await (ctx.exec ?? runProcess)({
    file: 'git',
    args,
    cwd: ctx.workspace,
    env: ctx.env,
    timeoutMs: GIT_TIMEOUT_MS,
    signal: ctx.signal,
    maxOutputBytes: MAX_SEARCH_BYTES,
  });

  if (result.exitCode === 1 && result.output.trim() === '') return { content: `No matches for /${input.pattern}/.`, isError: false };
  if (result.exitCode !== 0) {
    // Exit 128 is mostly a bad regex; git's own message says which part.
    const why = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signalName}`;
    return { content: `search_code failed (${why}): ${result.output.trim()}`, isError: true };
  }

  const cut = result.truncatedBytes > 0;
  const lines = result.output.split('\n').filter((line) => line !== '' && !(cut && /^\[… \d+ bytes cut from the middle of the output …\]$/.test(line)));
  const limit = input.limit ?? DEFAULT_LIMIT;
  const shown = lines.slice(0, limit).map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line));
  const rest = lines.length - limit;
  if (rest <= 0 && !cut) return { content: shown.join('\n'), isError: false };
  const count = cut ? `more than ${Math.max(rest, 0)}` : String(rest);
  return { content: `${shown.join('\n')}\n… and ${count} more matches (narrow with path or a tighter pattern)`, isError: false };
}
