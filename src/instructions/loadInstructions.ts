import type { CleanRoom } from '../git/cleanRoom.js';
import { errorMessage } from '../text/errorMessage.js';
import type { InstructionsBase } from './baseCommit.js';
import { cutUtf8, INSTRUCTION_LIMITS, kib, looksBinary } from './bound.js';
import { listInstructionBlobs, readBlobs, type TreeBlob } from './readTree.js';

export interface InstructionFile {
  /** Path in the repository, or `workflow instructions` for the input. */
  path: string;
  text: string;
  bytes: number;
  cut: boolean;
}

export interface NestedInstructionFile extends InstructionFile {
  /** The directory it applies to, e.g. `packages/api`. */
  dir: string;
}

/** What the run is told to follow: the repository's files from its base branch, and the workflow's own words. */
export interface RepositoryInstructions {
  base?: InstructionsBase;
  root: InstructionFile[];
  nested: NestedInstructionFile[];
  workflow?: InstructionFile;
  /** For the report: files cut or left out, or why none could be read. */
  notes: string[];
}

type Limits = { [Name in keyof typeof INSTRUCTION_LIMITS]: number };

/**
 * Loads the instructions for a run. Never throws: a base that cannot be read
 * leaves the run without the repository's files, and a note says so.
 */
export async function loadInstructions(opts: {
  room: Pick<CleanRoom, 'git'>;
  /** The commit to read, or why there is none. */
  base: InstructionsBase | { missing: string };
  workflow: string;
  limits?: Limits;
}): Promise<RepositoryInstructions> {
  const limits = opts.limits ?? INSTRUCTION_LIMITS;
  const notes: string[] = [];
  const workflow = workflowFile(opts.workflow, limits, notes);
  const { base } = opts;
  if ('missing' in base) return { root: [], nested: [], workflow, notes: [`repository instructions were not read: ${base.missing}`, ...notes] };
  try {
    const listed = await listInstructionBlobs(opts.room.git, base.commit);
    const nested = listed.nested.slice(0, limits.nestedFiles);
    if (listed.nested.length > nested.length)
      notes.push(`${listed.nested.length - nested.length} nested AGENTS.md files were left out (at most ${limits.nestedFiles}, shallowest first)`);
    const wanted = [...listed.root, ...nested].filter((blob) => readable(blob, limits, notes));
    const contents = await readBlobs(
      opts.room.git,
      wanted.map((blob) => blob.oid),
    );
    const text = (blob: TreeBlob, max: number) => boundFile(blob, contents.get(blob.oid), max, notes);
    return {
      base,
      root: rootFiles(
        listed.root.filter((blob) => wanted.includes(blob)),
        limits,
        text,
        notes,
      ),
      nested: nested
        .filter((blob) => wanted.includes(blob))
        .flatMap((blob) => {
          const file = text(blob, limits.nestedFileBytes);
          return file ? [{ ...file, dir: blob.path.slice(0, blob.path.lastIndexOf('/')) }] : [];
        }),
      workflow,
      notes: [...listed.skipped.map((what) => `instruction file left out: ${what}`), ...notes],
    };
  } catch (error) {
    return { base, root: [], nested: [], workflow, notes: [`repository instructions were not read from ${base.branch}: ${errorMessage(error)}`, ...notes] };
  }
}

/** Root files in order, each within its own bound and together within the total; a file that repeats another (a symlink) goes once. */
function rootFiles(blobs: TreeBlob[], limits: Limits, text: (blob: TreeBlob, max: number) => InstructionFile | undefined, notes: string[]): InstructionFile[] {
  const files: InstructionFile[] = [];
  const seen = new Map<string, string>();
  let used = 0;
  for (const blob of blobs) {
    const same = seen.get(blob.oid);
    if (same) {
      notes.push(`${blob.path} is the same file as ${same}: included once`);
      continue;
    }
    seen.set(blob.oid, blob.path);
    const room = Math.min(limits.rootFileBytes, limits.rootTotalBytes - used);
    if (room <= 0) {
      notes.push(`${blob.path} was left out: the instruction files before it fill the ${kib(limits.rootTotalBytes)} limit`);
      continue;
    }
    const file = text(blob, room);
    if (!file) continue;
    used += Buffer.byteLength(file.text);
    files.push(file);
  }
  return files;
}

function readable(blob: TreeBlob, limits: Limits, notes: string[]): boolean {
  if (blob.size <= limits.readBytes) return true;
  notes.push(`${blob.path} was left out: ${kib(blob.size)} is more than an instruction file can be (${kib(limits.readBytes)})`);
  return false;
}

function boundFile(blob: TreeBlob, data: Buffer | undefined, max: number, notes: string[]): InstructionFile | undefined {
  if (!data || looksBinary(data)) {
    notes.push(`${blob.path} was left out: it is not text`);
    return undefined;
  }
  const bound = cutUtf8(data, max);
  if (bound.cut) notes.push(cutNote(blob.path, bound.text, bound.bytes));
  return { path: blob.path, ...bound };
}

function workflowFile(input: string, limits: Limits, notes: string[]): InstructionFile | undefined {
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  const bound = cutUtf8(Buffer.from(trimmed), limits.workflowBytes);
  if (bound.cut) notes.push(cutNote('the instructions input', bound.text, bound.bytes));
  return { path: 'workflow instructions', ...bound };
}

export function cutNote(path: string, kept: string, bytes: number): string {
  return `${path} was cut to its first ${kib(Buffer.byteLength(kept))} (of ${kib(bytes)}): the rest did not reach the model`;
}
