import { git, type GitOptions } from './git.js';
import type { FileChange } from './sensitiveChanges.js';

/** Files changed between the base branch and HEAD, with +/− line counts (binary files count 0). */
export async function diffStats(opts: { git: GitOptions; base: string }): Promise<FileChange[]> {
  const range = `${opts.base}...HEAD`;
  const [numstat, status] = await Promise.all([
    git(opts.git, ['diff', '--numstat', '-z', '--find-renames', range]),
    git(opts.git, ['diff', '--name-status', '-z', '--find-renames', range]),
  ]);
  const kinds = new Map<string, string>();
  const statusParts = status.split('\0');
  for (let index = 0; index < statusParts.length - 1; ) {
    const code = statusParts[index]!;
    const renamed = code.startsWith('R') || code.startsWith('C');
    const path = statusParts[index + (renamed ? 2 : 1)]!;
    kinds.set(path, code[0]!);
    index += renamed ? 3 : 2;
  }
  const files: FileChange[] = [];
  const parts = numstat.split('\0');
  for (let index = 0; index < parts.length - 1; ) {
    const [added, deleted, inlinePath] = parts[index]!.split('\t');
    // A rename has an empty inline path, then the old and new paths as separate fields.
    const path = inlinePath === '' ? parts[index + 2]! : inlinePath!;
    index += inlinePath === '' ? 3 : 1;
    files.push({ path, added: Number(added) || 0, deleted: Number(deleted) || 0, status: kinds.get(path) ?? 'M' });
  }
  return files;
}
