import type { PathChange, TreeEntry } from './finalFiles.js';
import type { SecretFound } from '../secrets/secretVariants.js';

export interface Judgement {
  /** The changes that go into the commit. */
  apply: PathChange[];
  /** One line per change left out, for the summary (never naming a path that carries a secret). */
  notes: string[];
}

/**
 * Decides which of the workspace's changes are published. A change is left
 * out — the path keeps its state at the start of the run — when its name,
 * content or symlink target carries a known secret (in any spelling the
 * finder knows), when it touches a protected path, when it is not a regular
 * file or a symlink, or when its name could not be a path in a commit. Pure,
 * so every rule has a unit test.
 */
export function judgeChanges(opts: {
  changes: PathChange[];
  base: Map<string, TreeEntry>;
  isProtected: (path: string) => boolean;
  findSecret: (data: string | Uint8Array) => SecretFound | undefined;
}): Judgement {
  const notes: string[] = [];
  const accepted: PathChange[] = [];
  for (const change of opts.changes) {
    const { path, after } = change;
    // A new name is published as it is, so it is checked before it appears in any note.
    if (!change.before && opts.findSecret(path)) {
      notes.push('a new file whose name carries a secret value was left out of the commit');
      continue;
    }
    const badName = unsafeName(path);
    if (badName) {
      notes.push(`${path} was left out of the commit: ${badName}`);
      continue;
    }
    if (after.kind === 'refused') {
      notes.push(`${path} was left out of the commit: ${after.reason}`);
      continue;
    }
    if (opts.isProtected(path)) {
      notes.push(`a change to the protected path ${path} was undone before commit (protected_paths)`);
      continue;
    }
    if (after.kind === 'file') {
      const found = opts.findSecret(after.data);
      if (found) {
        notes.push(`a change to ${path} contained a secret value${found.encoding === 'raw' ? '' : ` (${found.encoding})`}, so it was undone before commit`);
        continue;
      }
    }
    if (after.kind === 'symlink' && opts.findSecret(after.target)) {
      notes.push(`a change to ${path} (a symlink whose target carries a secret value) was undone before commit`);
      continue;
    }
    accepted.push(change);
  }
  return { apply: withoutConflicts(accepted, opts.base, notes), notes };
}

/**
 * A path kept as it was can leave a new file nowhere to go: a protected
 * `.github/workflows/ci.yml` that stays blocks a new file (or symlink) named
 * `.github`. Such a new entry is left out too.
 */
function withoutConflicts(accepted: PathChange[], base: Map<string, TreeEntry>, notes: string[]): PathChange[] {
  const gone = new Set(accepted.filter((change) => change.after.kind === 'absent').map((change) => change.path));
  const present = new Set([...base.keys()].filter((path) => !gone.has(path)));
  for (const change of accepted) if (change.after.kind !== 'absent') present.add(change.path);
  const directories = new Set<string>();
  for (const path of present) for (const dir of ancestors(path)) directories.add(dir);
  return accepted.filter((change) => {
    if (change.before || change.after.kind === 'absent') return true;
    const blocker = directories.has(change.path)
      ? [...present].find((path) => path.startsWith(`${change.path}/`))
      : ancestors(change.path).find((dir) => present.has(dir));
    if (!blocker) return true;
    notes.push(`${change.path} was left out of the commit: ${blocker} stays as it was`);
    return false;
  });
}

function ancestors(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_part, index) => parts.slice(0, index + 1).join('/'));
}

/** Why git (or a checkout on another system) could not take this path, if it could not. */
export function unsafeName(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return 'its name has an empty, "." or ".." component';
  if (parts.some((part) => /^\.git[. ]*$/i.test(part) || /^git~\d+$/i.test(part))) return 'its name has a .git component';
  return undefined;
}
