import { runProcess } from '../exec/runProcess.js';

/**
 * Files that differ from HEAD in the work tree, tracked or new (and not
 * ignored): what the run changed by any route, editor or shell.
 */
export async function changedFiles(opts: { workspace: string; env: NodeJS.ProcessEnv }): Promise<string[]> {
  const result = await runProcess({
    file: 'git',
    args: ['status', '--porcelain=v1', '-z', '--untracked-files=all'],
    cwd: opts.workspace,
    env: opts.env,
    timeoutMs: 60_000,
    maxOutputBytes: 4 * 1024 * 1024,
  });
  if (result.exitCode !== 0) throw new Error(`git status failed in ${opts.workspace}: ${result.output.trim()}`);
  const files: string[] = [];
  const entries = result.output.split('\0');
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index]!;
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    // A rename entry is followed by its old path, which is not a file of the result.
    if (entry[0] === 'R' || entry[0] === 'C') index += 1;
  }
  return files.sort();
}
