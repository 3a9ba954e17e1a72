import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { isBinary, numberedLine, viewPath } from './editorView.js';
import { ToolInputError } from './errors.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { describeKind, notRegular, openRegularFile, resolveInWorkspace, statOrUndefined, type ResolvedPath } from './workspace.js';

export const EDITOR_NAME = 'str_replace_based_edit_tool';

/** Lines of context shown around an edit, so the model can check it without a new view. */
const SNIPPET_CONTEXT = 3;
/** Files the editor edits whole in memory; larger ones are for a command (sed, a script). */
const MAX_EDIT_BYTES = 16 * 1024 * 1024;

const path = z.string().describe('file or directory, relative to the repository root');

/**
 * The commands of `text_editor_20250728` (no undo_edit in the Claude 4
 * versions). Descriptions are written for the flattened JSON schema that
 * models without the Anthropic-defined tool get.
 */
export const editorCommands = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('view'),
    path,
    view_range: z
      .tuple([z.number().int().min(1), z.number().int().min(-1)])
      .optional()
      .describe('view: [start, end] lines, 1-based; end -1 = to the end'),
  }),
  z.object({ command: z.literal('create'), path, file_text: z.string().describe('create: the whole file') }),
  z.object({
    command: z.literal('str_replace'),
    path,
    old_str: z.string().min(1).describe('str_replace: exact text to replace; must occur once'),
    new_str: z.string().default('').describe('str_replace: replacement; insert: text to insert'),
  }),
  z.object({
    command: z.literal('insert'),
    path,
    insert_line: z.number().int().min(0).describe('insert: line after which to insert (0 = top)'),
    new_str: z.string(),
  }),
]);

/** The documentation names the inserted text `new_str` in some places and `insert_text` in others: take either. */
export const editorInput = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (record.command === 'insert' && record.new_str === undefined && typeof record.insert_text === 'string') {
    return { ...record, new_str: record.insert_text };
  }
  return value;
}, editorCommands);
export type EditorInput = z.output<typeof editorInput>;

/**
 * The Anthropic-defined text editor: view, create, str_replace, insert,
 * fenced to the workspace, on regular files only (a FIFO or device would
 * block the run), in bounded time and memory.
 */
export async function runEditor(ctx: ToolContext, input: EditorInput): Promise<ToolOutcome> {
  const resolved = await resolveInWorkspace(ctx.workspace, input.path, { forWrite: input.command !== 'view' });
  const privateFiles = ctx.privateFiles;
  const target: ResolvedPath = privateFiles ? { ...resolved, refuse: (info) => privateFiles.isPrivateFile(info) } : resolved;
  if (privateFiles?.isPrivate(target.relative)) {
    throw new ToolInputError(
      `path "${input.path}" is a credentials file of the run's own (the provider's auth step wrote it): the agent's tools never read or change it`,
    );
  }
  if (input.command !== 'view' && ctx.isProtected?.(target.relative)) {
    throw new ToolInputError(`path "${input.path}" is protected (protected_paths): it can be read but not changed`);
  }
  switch (input.command) {
    case 'view':
      return { content: await viewPath(target, input.view_range, ctx.signal, privateFiles?.isPrivate), isError: false };
    case 'create':
      return create(target, input.file_text);
    case 'str_replace':
      return replace(target, input.old_str, input.new_str);
    case 'insert':
      return insert(target, input.insert_line, input.new_str);
  }
}

async function create(target: ResolvedPath, text: string): Promise<ToolOutcome> {
  const existing = await statOrUndefined(target.absolute);
  if (existing?.isDirectory()) throw new ToolInputError(`${target.relative} is a directory; give a file path`);
  if (existing && !existing.isFile()) throw notRegular(target, describeKind(existing));
  await mkdir(dirname(target.absolute), { recursive: true });
  await writeText(target, text);
  const verb = existing ? 'Overwrote' : 'Created';
  return { content: `${verb} ${target.relative} (${plural(lineCount(text), 'line')}).`, isError: false, changedFiles: [target.relative] };
}

async function replace(target: ResolvedPath, oldStr: string, newStr: string): Promise<ToolOutcome> {
  const text = await readText(target);
  const positions = occurrences(text, oldStr);
  if (positions.length === 0) throw new ToolInputError(`No match found for old_str in ${target.relative}; nothing was changed.`);
  if (positions.length > 1) {
    const lines = positions.map((position) => lineAt(text, position)).join(', ');
    throw new ToolInputError(`old_str appears ${positions.length} times in ${target.relative} (lines ${lines}); include more context so it is unique.`);
  }
  const position = positions[0]!;
  const updated = text.slice(0, position) + newStr + text.slice(position + oldStr.length);
  await writeText(target, updated);
  const first = lineAt(text, position);
  const last = first + Math.max(0, lineCount(newStr) - 1);
  return { content: `Edited ${target.relative} at line ${first}:\n${snippet(updated, first, last)}`, isError: false, changedFiles: [target.relative] };
}

async function insert(target: ResolvedPath, afterLine: number, inserted: string): Promise<ToolOutcome> {
  const text = await readText(target);
  const total = lineCount(text);
  if (afterLine > total) throw new ToolInputError(`insert_line ${afterLine} is past the end of ${target.relative}, which has ${total} lines`);
  const lines = text.split('\n');
  // A trailing newline in the inserted text would add an empty line the model did not mean.
  const added = inserted.replace(/\n$/, '').split('\n');
  lines.splice(afterLine, 0, ...added);
  const updated = lines.join('\n');
  await writeText(target, updated);
  return {
    content: `Inserted ${plural(added.length, 'line')} into ${target.relative} after line ${afterLine}:\n${snippet(updated, afterLine + 1, afterLine + added.length)}`,
    isError: false,
    changedFiles: [target.relative],
  };
}

async function readText(target: ResolvedPath): Promise<string> {
  const info = await statOrUndefined(target.absolute);
  if (!info) throw new ToolInputError(`${target.relative} does not exist; use create to make a new file`);
  if (!info.isFile()) throw notRegular(target, describeKind(info));
  const handle = await openRegularFile(target, 'read');
  try {
    const { size } = await handle.stat();
    if (size > MAX_EDIT_BYTES) {
      throw new ToolInputError(
        `${target.relative} is ${(size / 1024 / 1024).toFixed(1)} MiB, more than the editor edits (${MAX_EDIT_BYTES / 1024 / 1024} MiB); change it with a command instead`,
      );
    }
    if (await isBinary(handle)) throw new ToolInputError(`${target.relative} is a binary file; it cannot be edited as text`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

async function writeText(target: ResolvedPath, text: string): Promise<void> {
  const handle = await openRegularFile(target, 'write');
  try {
    // Truncated only once it is known to be a regular file.
    await handle.truncate(0);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** Lines `from`..`to` of the edited file with some context, numbered like `view`. */
function snippet(text: string, from: number, to: number): string {
  const lines = text.split('\n');
  const first = Math.max(1, from - SNIPPET_CONTEXT);
  const last = Math.min(lineCount(text), to + SNIPPET_CONTEXT);
  const out: string[] = [];
  for (let number = first; number <= last; number += 1) out.push(numberedLine(number, lines[number - 1] ?? ''));
  return out.join('\n');
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) found.push(index);
  return found;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < position; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
