import { git, tryGit, type GitOptions } from './git.js';

/**
 * actions/checkout leaves the token in .git/config as an `http.<url>.extraheader`
 * so later steps can push. The agent's shell could read it there, so it is
 * removed before the agent starts; our own push authenticates at push time.
 */
export async function removePersistedCredentials(local: GitOptions): Promise<string[]> {
  const found = await tryGit(local, ['config', '--local', '--name-only', '--get-regexp', '^http\\..*\\.extraheader$']);
  if (found.exitCode !== 0) return [];
  const keys = [...new Set(found.output.split('\n').map((line) => line.trim()).filter(Boolean))];
  for (const key of keys) await git(local, ['config', '--local', '--unset-all', key]);
  return keys;
}
