import { join } from 'node:path';
import type { CleanRoom } from '../git/cleanRoom.js';
import type { PathChange } from './finalFiles.js';
import { writeLooseObject } from '../git/gitObjects.js';
import { gitOk, gitText } from '../git/safeGit.js';

export interface CommitIdentity {
  name: string;
  email: string;
}

/**
 * Writes one commit in the room: the start commit's tree with `changes`
 * applied, parent = the start commit. Blobs are stored from the bytes that
 * were checked. Returns undefined when the tree is unchanged.
 */
export async function writeCommit(opts: {
  room: CleanRoom;
  parent: string;
  changes: PathChange[];
  author: CommitIdentity;
  coAuthor?: CommitIdentity;
  subject: string;
  body: string;
}): Promise<string | undefined> {
  const { room } = opts;
  const zero = '0'.repeat(room.objectFormat === 'sha256' ? 64 : 40);
  const removals: string[] = [];
  const entries: string[] = [];
  for (const { path, after } of opts.changes) {
    if (after.kind === 'file') entries.push(`${after.mode} ${await writeLooseObject(room.gitDir, room.objectFormat, 'blob', after.data)}\t${path}\0`);
    else if (after.kind === 'symlink') entries.push(`120000 ${await writeLooseObject(room.gitDir, room.objectFormat, 'blob', after.target)}\t${path}\0`);
    else removals.push(`0 ${zero}\t${path}\0`);
  }
  const indexed = { ...room.git, env: { ...room.git.env, GIT_INDEX_FILE: join(room.scratch, `commit-${Date.now()}.index`) } };
  await gitOk(indexed, ['read-tree', opts.parent]);
  // Removals first, so a file can take the place of a directory that went away.
  await gitOk(indexed, ['update-index', '-z', '--index-info'], { input: [...removals, ...entries].join('') });
  const tree = await gitText(indexed, ['write-tree']);
  if (tree === (await gitText(room.git, ['rev-parse', `${opts.parent}^{tree}`]))) return undefined;
  const trailer = opts.coAuthor ? `Co-authored-by: ${opts.coAuthor.name} <${opts.coAuthor.email}>` : '';
  const message = `${[opts.subject.trim(), opts.body.trim(), trailer].filter((part) => part !== '').join('\n\n')}\n`;
  return gitText(room.git, ['commit-tree', tree, '-p', opts.parent, '-F', '-'], {
    input: message,
    vars: {
      GIT_AUTHOR_NAME: opts.author.name,
      GIT_AUTHOR_EMAIL: opts.author.email,
      GIT_COMMITTER_NAME: opts.author.name,
      GIT_COMMITTER_EMAIL: opts.author.email,
    },
  });
}
