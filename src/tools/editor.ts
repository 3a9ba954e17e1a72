import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ToolInputError } from './errors.js';
import type { ToolContext, ToolOutcome } from './types.js';
import { resolveInWorkspace } from './workspace.js';

export const EDITOR_NAME = 'str_replace_based_edit_tool';

/** Larger reads are cut; the model can ask for a line range. */
const MAX_READ_BYTES = 256 * 1024;
const BINARY_SNIFF_BYTES = 8 * 1024;

export const editorInput = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('view'),
    path: z.string(),
    view_range: z.tuple([z.number().int().min(1), z.number().int().min(-1)]).optional(),
  }),
  z.object({ command: z.literal('create'), path: z.string(), file_text: z.string() }),
  z.object({ command: z.literal('str_replace'), path: z.string(), old_str: z.string().min(1), new_str: z.string().default('') }),
  z.object({
    command: z.literal('insert'),
    path: z.string(),
    insert_line: z.number().int().min(0),
    // The tool's documentation has used both names for the inserted text.
    new_str: z.string().optional(),
    insert_text: z.string().optional(),
  }),
]);
export type EditorInput = z.infer<typeof editorInput>;

/** The same input as one flat object, for models that get the editor as a plain JSON-schema tool. */
export const editorShape = z.object({
  command: z.enum(['view', 'create', 'str_replace', 'insert']),
  path: z.string(),
  view_range: z.array(z.number().int()).optional().describe('[start, end] lines for view; end -1 = to the end'),
  file_text: z.string().optional().describe('create: the whole file'),
  old_str: z.string().optional().describe('str_replace: exact text to replace, unique in the file'),
  new_str: z.string().optional().describe('str_replace: replacement; insert: text to insert'),
  insert_line: z.number().int().optional().describe('insert: line after which to insert (0 = top)'),
});

/** The Anthropic-defined text editor: view, create, str_replace, insert, fenced to the workspace. */
export async function runEditor(ctx: ToolContext, input: EditorInput): Promise<ToolOutcome> {
  const forWrite = input.command !== 'view';
  const target = await resolveInWorkspace(ctx.workspace, input.path, { forWrite });
  switch (input.command) {
    case 'view':
      return view(target.absolute, target.relative, input.view_range);
    case 'create': {
      await mkdir(dirname(target.absolute), { recursive: true });
      await writeFile(target.absolute, input.file_text);
      return { content: `Wrote ${target.relative} (${lineCount(input.file_text)} lines).`, isError: false, changedFiles: [target.relative] };
    }
    case 'str_replace': {
      const text = await readText(target.absolute, target.relative);
      const positions = occurrences(text, input.old_str);
      if (positions.length === 0) throw new ToolInputError(`No match found for old_str in ${target.relative}; nothing was changed.`);
      if (positions.length > 1) {
        const lines = positions.map((position) => lineAt(text, position)).join(', ');
        throw new ToolInputError(`old_str appears ${positions.length} times in ${target.relative} (lines ${lines}); include more context so it is unique.`);
      }
      const updated = text.slice(0, positions[0]) + input.new_str + text.slice(positions[0]! + input.old_str.length);
      await writeFile(target.absolute, updated);
      const line = lineAt(text, positions[0]!);
      return { content: `Edited ${target.relative} at line ${line}.\n${numbered(updated, line, line + lineCount(input.new_str) - 1, 3)}`, isError: false, changedFiles: [target.relative] };
    }
    case 'insert': {
      const inserted = input.new_str ?? input.insert_text;
      if (inserted === undefined) throw new ToolInputError('insert needs new_str (the text to insert)');
      const text = await readText(target.absolute, target.relative);
      const lines = text.split('\n');
      if (input.insert_line > lines.length) throw new ToolInputError(`insert_line ${input.insert_line} is past the end of ${target.relative} (${lines.length} lines)`);
      lines.splice(input.insert_line, 0, ...inserted.replace(/\n$/, '').split('\n'));
      await writeFile(target.absolute, lines.join('\n'));
      return { content: `Inserted ${lineCount(inserted)} lines into ${target.relative} after line ${input.insert_line}.`, isError: false, changedFiles: [target.relative] };
    }
  }
}

async function view(absolute: string, relative: string, range?: [number, number]): Promise<ToolOutcome> {
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new ToolInputError(`${relative} does not exist`);
  if (info.isDirectory()) {
    const entries = (await readdir(absolute, { withFileTypes: true }))
      .filter((entry) => entry.name !== '.git')
      .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
      .sort();
    return { content: entries.length > 0 ? entries.join('\n') : '(empty directory)', isError: false };
  }
  if (await isBinary(absolute)) return { content: `${relative} is a binary file (${info.size} bytes); not shown.`, isError: false };
  const cut = info.size > MAX_READ_BYTES;
  const text = cut ? await readHead(absolute, MAX_READ_BYTES) : await readFile(absolute, 'utf8');
  const total = lineCount(text);
  const [start, end] = range ?? [1, -1];
  if (start > Math.max(total, 1)) throw new ToolInputError(`view_range starts at line ${start}, but ${relative} has ${total} lines`);
  const last = end === -1 ? total : Math.min(end, total);
  const note = cut ? `\n[${relative} is ${info.size} bytes; only the first ${MAX_READ_BYTES} are shown — use view_range]` : '';
  return { content: numbered(text, start, last) + note, isError: false };
}

async function readText(absolute: string, relative: string): Promise<string> {
  if (await isBinary(absolute).catch(() => false)) throw new ToolInputError(`${relative} is a binary file; it cannot be edited as text`);
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ToolInputError(`${relative} does not exist; use create to make it`);
    throw error;
  }
}

async function isBinary(absolute: string): Promise<boolean> {
  return (await readHead(absolute, BINARY_SNIFF_BYTES)).includes('\0');
}

async function readHead(absolute: string, bytes: number): Promise<string> {
  const handle = await open(absolute, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function numbered(text: string, from: number, to: number, context = 0): string {
  const lines = text.split('\n');
  const first = Math.max(1, from - context);
  const last = Math.min(lines.length, to + context);
  const out: string[] = [];
  for (let number = first; number <= last; number += 1) out.push(`${String(number).padStart(6)}\t${lines[number - 1]}`);
  return out.join('\n');
}

function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let index = text.indexOf(needle); index !== -1; index = text.indexOf(needle, index + 1)) found.push(index);
  return found;
}

function lineAt(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}
