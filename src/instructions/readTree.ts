import { posix } from 'node:path';
import { gitOk, type SafeGit } from '../git/safeGit.js';

/** The root files every peer agent reads, in the order they go into the prompt. */
export const ROOT_FILES = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md'] as const;
const NESTED_NAME = 'AGENTS.md';

export interface TreeBlob {
  /** The path the instructions are known by (a symlink's own path, not its target's). */
  path: string;
  oid: string;
  size: number;
}

interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
  path: string;
}

/**
 * The instruction files of one commit, read from git objects only (never the
 * work tree, which the agent or a PR's head may have changed): which paths
 * exist, with a symlink followed one hop inside the tree (`AGENTS.md ->
 * CLAUDE.md` is common).
 */
export async function listInstructionBlobs(git: SafeGit, commit: string): Promise<{ root: TreeBlob[]; nested: TreeBlob[]; skipped: string[] }> {
  const listing = await gitOk(git, ['ls-tree', '-r', '-z', '--full-tree', commit], { timeoutMs: 60_000 });
  const candidates = parseTree(listing).filter((entry) => isCandidate(entry.path));
  const skipped: string[] = [];
  const resolved: Array<{ path: string; oid: string }> = [];
  for (const entry of candidates) {
    const target = entry.mode === '120000' ? await followLink(git, commit, entry) : entry;
    if (target && target.type === 'blob' && target.mode !== '120000') resolved.push({ path: entry.path, oid: target.oid });
    else skipped.push(`${entry.path} (${entry.mode === '120000' ? 'a symlink to nothing readable in the tree' : 'not a file'})`);
  }
  const sizes = await blobSizes(
    git,
    resolved.map((entry) => entry.oid),
  );
  const blobs = resolved.map((entry) => ({ ...entry, size: sizes.get(entry.oid) ?? 0 }));
  const root = ROOT_FILES.flatMap((name) => blobs.filter((blob) => blob.path === name));
  const nested = blobs.filter((blob) => blob.path !== NESTED_NAME && posix.basename(blob.path) === NESTED_NAME).sort(shallowFirst);
  return { root, nested, skipped };
}

/** Reads blobs in one `cat-file --batch`: id → bytes. */
export async function readBlobs(git: SafeGit, oids: string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const contents = new Map<string, Buffer>();
  if (unique.length === 0) return contents;
  const out = await gitOk(git, ['cat-file', '--batch'], { input: `${unique.join('\n')}\n` });
  let at = 0;
  while (at < out.length) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) break;
    const [oid, type, size] = out.subarray(at, end).toString('utf8').split(' ');
    at = end + 1;
    if (type === 'missing' || !oid || size === undefined) continue;
    const length = Number(size);
    contents.set(oid, out.subarray(at, at + length));
    at += length + 1;
  }
  return contents;
}

function parseTree(listing: Buffer): TreeEntry[] {
  return listing
    .toString('utf8')
    .split('\0')
    .flatMap((line) => {
      const tab = line.indexOf('\t');
      if (tab < 0) return [];
      const [mode = '', type = '', oid = ''] = line.slice(0, tab).split(' ');
      return [{ mode, type, oid, path: line.slice(tab + 1) }];
    });
}

function isCandidate(path: string): boolean {
  if (path.includes('\n')) return false;
  return (ROOT_FILES as readonly string[]).includes(path) || posix.basename(path) === NESTED_NAME;
}

async function followLink(git: SafeGit, commit: string, link: TreeEntry): Promise<TreeEntry | undefined> {
  const target = (await gitOk(git, ['cat-file', 'blob', link.oid])).toString('utf8');
  if (target.startsWith('/') || target.includes('\n') || target.includes('\0')) return undefined;
  const path = posix.normalize(posix.join(posix.dirname(link.path), target));
  if (path === '..' || path.startsWith('../')) return undefined;
  return parseTree(await gitOk(git, ['ls-tree', '-z', '--full-tree', commit, '--', path])).find((entry) => entry.path === path);
}

async function blobSizes(git: SafeGit, oids: string[]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return sizes;
  const out = await gitOk(git, ['cat-file', '--batch-check'], { input: `${[...new Set(oids)].join('\n')}\n` });
  for (const line of out.toString('utf8').split('\n')) {
    const [oid, type, size] = line.split(' ');
    if (oid && type === 'blob' && size !== undefined) sizes.set(oid, Number(size));
  }
  return sizes;
}

/** Outer directories first, so the bound on their number keeps the ones that cover the most. */
function shallowFirst(a: TreeBlob, b: TreeBlob): number {
  const depth = (path: string) => path.split('/').length;
  return depth(a.path) - depth(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
