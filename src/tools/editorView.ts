import { readdir, type FileHandle } from 'node:fs/promises';
import { incompleteTailStart } from '../exec/utf8.js';
import { ToolInputError } from './errors.js';
import { describeKind, notRegular, openRegularFile, statOrUndefined, type ResolvedPath } from './workspace.js';

/** Larger views are cut at a line boundary; the model can ask for a line range. */
const MAX_VIEW_BYTES = 256 * 1024;
/** Git's own heuristic: a NUL byte early on means binary. */
const BINARY_SNIFF_BYTES = 8 * 1024;
const MAX_DIRECTORY_ENTRIES = 1_000;

/**
 * The editor's `view`: a file with numbered lines (`     1\ttext`, as the
 * Anthropic tool prints them), optionally a line range; a directory as its
 * entries, non-recursively. Binary files are described, never dumped.
 */
export async function viewPath(target: ResolvedPath, range?: [number, number], signal?: AbortSignal, isPrivate?: (path: string) => boolean): Promise<string> {
  const info = await statOrUndefined(target.absolute);
  if (!info) throw new ToolInputError(`${target.relative} does not exist`);
  if (info.isDirectory()) return listDirectory(target, isPrivate);
  // A FIFO or device would block the read forever.
  if (!info.isFile()) throw notRegular(target, describeKind(info));
  const [start, end] = range ?? [1, -1];
  if (end !== -1 && end < start) throw new ToolInputError(`view_range [${start}, ${end}] ends before it starts`);

  const handle = await openRegularFile(target, 'read');
  let scan: Awaited<ReturnType<typeof scanLines>>;
  try {
    if (await isBinary(handle)) return `${target.relative}: binary file, ${info.size} bytes (not shown)`;
    scan = await scanLines(handle, start, end === -1 ? Number.POSITIVE_INFINITY : end, MAX_VIEW_BYTES, signal);
  } finally {
    await handle.close();
  }
  if (scan.totalLines === 0) return `${target.relative} is empty`;
  if (start > scan.totalLines) throw new ToolInputError(`view_range starts at line ${start}, but ${target.relative} has ${scan.totalLines} lines`);

  const text = scan.bytes.subarray(0, scan.cut ? incompleteTailStart(scan.bytes) : scan.bytes.length).toString('utf8');
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  const partialLine = scan.cut && !text.endsWith('\n');
  // A line cut in the middle is left for the next view, unless it is the only one.
  if (partialLine && lines.length > 1) lines.pop();
  const shown = lines.map((line, index) => numberedLine(start + index, line));
  if (!scan.cut) return shown.join('\n');
  const last = start + lines.length - 1;
  const note =
    partialLine && lines.length === 1
      ? `[line ${start} is longer than ${MAX_VIEW_BYTES / 1024} KiB; only its start is shown]`
      : `[output capped at ${MAX_VIEW_BYTES / 1024} KiB: showing lines ${start}-${last} of ${scan.totalLines}; use view_range to see the rest]`;
  return `${shown.join('\n')}\n${note}`;
}

/** One line as the Anthropic editor numbers it. */
export function numberedLine(number: number, line: string): string {
  return `${String(number).padStart(6)}\t${line}`;
}

/** Git's test on an open file: a NUL byte in its first 8 KiB. */
export async function isBinary(handle: FileHandle): Promise<boolean> {
  const buffer = Buffer.alloc(BINARY_SNIFF_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, BINARY_SNIFF_BYTES, 0);
  return buffer.subarray(0, bytesRead).includes(0);
}

async function listDirectory(target: ResolvedPath, isPrivate?: (path: string) => boolean): Promise<string> {
  const entries = (await readdir(target.absolute, { withFileTypes: true }))
    .filter((entry) => entry.name !== '.git' && !isPrivate?.(target.relative === '.' ? entry.name : `${target.relative}/${entry.name}`))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
  if (entries.length === 0) return `${target.relative} is an empty directory`;
  const shown = entries.slice(0, MAX_DIRECTORY_ENTRIES).join('\n');
  const more = entries.length - MAX_DIRECTORY_ENTRIES;
  return more > 0 ? `${shown}\n… and ${more} more entries (use list_files with a pattern)` : shown;
}

/**
 * Reads a file in chunks, keeping the bytes of lines `from`..`to` up to
 * `maxBytes` and counting every line, so a view of a huge file (or of its
 * last lines) costs a bounded amount of memory; the run ending stops it.
 */
async function scanLines(
  handle: FileHandle,
  from: number,
  to: number,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<{ bytes: Buffer; totalLines: number; cut: boolean }> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let cut = false;
  let line = 1;
  let lastByte: number | undefined;
  for await (const chunk of handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    if (signal?.aborted) throw new ToolInputError('[stopped: the run is ending (time budget or cancellation); the view was not finished]');
    let position = 0;
    while (position < chunk.length) {
      const newline = chunk.indexOf(10, position);
      const end = newline === -1 ? chunk.length : newline + 1;
      if (line >= from && line <= to && !cut) {
        const piece = chunk.subarray(position, Math.min(end, position + maxBytes - keptBytes));
        kept.push(piece);
        keptBytes += piece.length;
        cut = piece.length < end - position;
      }
      if (newline === -1) break;
      line += 1;
      position = end;
    }
    lastByte = chunk.at(-1);
  }
  const totalLines = lastByte === undefined ? 0 : lastByte === 10 ? line - 1 : line;
  return { bytes: Buffer.concat(kept), totalLines, cut };
}
