import { gitOk, type SafeGit } from '../git/safeGit.js';
import type { FileChange } from '../records/fileChange.js';

/** Files changed between the base branch and `head`, with +/− line counts (binary files count 0). */
export async function diffStats(opts: { git: SafeGit; base: string; head: string }): Promise<FileChange[]> {
  const range = `${opts.base}...${opts.head}`;
  // No external diff or textconv: the room has no attributes, but say so where it matters.
  const diff = (format: string) =>
    gitOk(opts.git, ['diff', '--no-ext-diff', '--no-textconv', format, '-z', '--find-renames', range]).then((out) => out.toString('utf8'));
  const [numstat, status] = await Promise.all([diff('--numstat'), diff('--name-status')]);
  const kinds = new Map<string, string>();
  const statusParts = status.split('\0');
  for (let index = 0; index < statusParts.length - 1;) {
    const code = statusParts[index]!;
    const renamed = code.startsWith('R') || code.startsWith('C');
    const path = statusParts[index + (renamed ? 2 : 1)]!;
    kinds.set(path, code[0]!);
    index += renamed ? 3 : 2;
  }
  const files: FileChange[] = [];
  const parts = numstat.split('\0');
  for (let index = 0; index < parts.length - 1;) {
    const [added, deleted, inlinePath] = parts[index]!.split('\t');
    // A rename has an empty inline path, then the old and new paths as separate fields.
    const path = inlinePath === '' ? parts[index + 2]! : inlinePath!;
    index += inlinePath === '' ? 3 : 1;
    files.push({ path, added: Number(added) || 0, deleted: Number(deleted) || 0, status: kinds.get(path) ?? 'M' });
  }
  return files;
}
