import { readFile, realpath, rm } from 'node:fs/promises';
import { basename, isAbsolute, relative } from 'node:path';
import { runGit, SafeGitError, type SafeGit } from './safeGit.js';

export interface RemovedCredentials {
  /** Config keys removed from the workspace's .git/config. */
  keys: string[];
  /** Credential files deleted (actions/checkout@v6 keeps one under RUNNER_TEMP). */
  files: string[];
  /** The tokens they held: secrets to look for in whatever is published. */
  secrets: string[];
}

/**
 * actions/checkout leaves its token where later steps' git finds it: v4 as an
 * `http.<url>.extraheader` in .git/config, v6 in a file under RUNNER_TEMP
 * that .git/config pulls in with `includeIf.gitdir:<path>.path` entries. The
 * agent's shell could read either, so both go before the agent starts (the
 * file too: it is readable without git). Our own fetches and pushes
 * authenticate from the clean room, with command-scoped config.
 */
export async function removePersistedCredentials(opts: { git: SafeGit; tempDir: string }): Promise<RemovedCredentials> {
  const removed: RemovedCredentials = { keys: [], files: [], secrets: [] };
  const unset: string[][] = [];
  const tempDir = await realpath(opts.tempDir).catch(() => opts.tempDir);
  const [headers, includes] = await Promise.all([localEntries(opts.git, '^http\\..*\\.extraheader$'), localEntries(opts.git, '^include(if\\..*)?\\.path$')]);
  for (const [key, value] of headers) {
    removed.secrets.push(...tokensIn(value));
    if (!removed.keys.includes(key)) unset.push(['--unset-all', key]);
    if (!removed.keys.includes(key)) removed.keys.push(key);
  }
  for (const [key, value] of includes) {
    const content = await readFile(value, 'utf8').catch(() => '');
    const file = await realpath(value).catch(() => value);
    const underTemp = isAbsolute(file) && !relative(tempDir, file).startsWith('..');
    const checkoutFile = /^git-credentials-.*\.config$/.test(basename(value)) || value.startsWith('/github/runner_temp/');
    if (!checkoutFile && !underTemp && !/extraheader/i.test(content)) continue;
    removed.secrets.push(...tokensIn(content));
    // Only this entry: another include under the same key may be the user's own.
    unset.push(['--fixed-value', '--unset-all', key, value]);
    if (!removed.keys.includes(key)) removed.keys.push(key);
    if (content !== '' && underTemp) {
      await rm(file, { force: true });
      removed.files.push(file);
    }
  }
  for (const args of unset) {
    const result = await runGit(opts.git, ['config', '--local', ...args]);
    // 5: already gone (the same entry twice).
    if (result.exitCode !== 0 && result.exitCode !== 5) throw new SafeGitError(['config', '--local', ...args], result);
  }
  return removed;
}

/** `[key, value]` pairs of the workspace's own config whose keys match `pattern`. */
async function localEntries(git: SafeGit, pattern: string): Promise<Array<[string, string]>> {
  const found = await runGit(git, ['config', '--local', '--null', '--get-regexp', pattern]);
  if (found.exitCode !== 0) return [];
  return found.stdout
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const newline = entry.indexOf('\n');
      return newline === -1 ? [entry, ''] : [entry.slice(0, newline), entry.slice(newline + 1)];
    });
}

/** The token in a Basic authorization header (`x-access-token:<token>`, base64), and the encoded header itself. */
function tokensIn(text: string): string[] {
  return [...text.matchAll(/AUTHORIZATION:\s*basic\s+([A-Za-z0-9+/=]+)/gi)].flatMap((match) => {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return [match[1]!, ...(colon === -1 ? [] : [decoded.slice(colon + 1)])].filter((value) => value.length >= 8);
  });
}
