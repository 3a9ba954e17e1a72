import { git, tryGit, type GitOptions } from './git.js';

export interface CommitIdentity {
  name: string;
  email: string;
}

/**
 * Commits everything the run changed (editor and shell alike), or returns
 * undefined when nothing changed. The author is configurable; the person who
 * asked is credited with a Co-authored-by trailer.
 */
export async function commitWork(opts: {
  git: GitOptions;
  author: CommitIdentity;
  subject: string;
  body: string;
  coAuthor?: CommitIdentity;
}): Promise<string | undefined> {
  await git(opts.git, ['add', '--all']);
  const staged = await tryGit(opts.git, ['diff', '--cached', '--quiet']);
  if (staged.exitCode === 0) return undefined;
  const trailer = opts.coAuthor ? `\n\nCo-authored-by: ${opts.coAuthor.name} <${opts.coAuthor.email}>` : '';
  await git(opts.git, [
    '-c', `user.name=${opts.author.name}`,
    '-c', `user.email=${opts.author.email}`,
    '-c', 'commit.gpgsign=false',
    'commit', '--quiet', '--no-verify',
    '-m', opts.subject,
    '-m', `${opts.body.trim()}${trailer}`,
  ]);
  return (await git(opts.git, ['rev-parse', 'HEAD'])).trim();
}
