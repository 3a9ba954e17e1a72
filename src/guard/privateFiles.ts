import { realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * Files of the run's own that sit in the workspace but are never the agent's: the credentials
 * file google-github-actions/auth writes there (`gha-creds-<hash>.json`). The agent's tools
 * refuse them — by name, and by identity (device and inode), so a renamed file or a hard link
 * to it is refused too: the editor runs as the action's user, who may read it —, listings and
 * searches leave them out, and publication never takes them. These are guard rails: with a
 * box, the file is also the runner's user's alone (mode 600), which is what holds against a
 * shell that reads it some other way.
 */
export interface PrivateFiles {
  /** Workspace-relative POSIX paths of those inside the workspace. */
  inWorkspace: string[];
  /** A workspace-relative path that names one of them. */
  isPrivate(relativePath: string): boolean;
  /** An opened or stat'ed file that is one of them, under whatever name. */
  isPrivateFile(info: Pick<Stats, 'dev' | 'ino'>): boolean;
}

export function privateFiles(workspace: string, files: string[]): PrivateFiles {
  const root = real(workspace);
  const inWorkspace = [
    ...new Set(
      files.flatMap((file) =>
        // Both spellings: as the variable named it, and as it really is (a symlinked workspace).
        [file, real(file)].flatMap((path) => {
          const rel = relative(root, path);
          return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? [] : [rel.split(sep).join('/')];
        }),
      ),
    ),
  ];
  const names = new Set(inWorkspace);
  const ids = new Set(files.flatMap((file) => identity(file) ?? []));
  return {
    inWorkspace,
    isPrivate: (path) => names.has(path.replace(/^\.\//, '')),
    isPrivateFile: (info) => ids.has(`${info.dev}:${info.ino}`),
  };
}

function identity(path: string): string | undefined {
  try {
    const info = statSync(path);
    return info.isFile() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
