import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';

/**
 * Files of the run's own that sit in the workspace but are never the agent's: the credentials
 * file google-github-actions/auth writes there (`gha-creds-<hash>.json`). The agent's tools
 * refuse them, listings and searches leave them out, and publication never takes them. These
 * are guard rails: with a box, the file is also the runner's user's alone (mode 600), which is
 * what holds against a shell that reads it some other way.
 */
export interface PrivateFiles {
  /** Workspace-relative POSIX paths of those inside the workspace. */
  inWorkspace: string[];
  isPrivate(relativePath: string): boolean;
}

export function privateFiles(workspace: string, files: string[]): PrivateFiles {
  const root = real(workspace);
  const inWorkspace = [
    ...new Set(
      files.flatMap((file) => {
        // Both spellings: as the variable named it, and as it really is (a symlinked workspace).
        return [file, real(file)].flatMap((path) => {
          const rel = relative(root, path);
          return rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel) ? [] : [rel.split(sep).join('/')];
        });
      }),
    ),
  ];
  const set = new Set(inWorkspace);
  return { inWorkspace, isPrivate: (path) => set.has(path.replace(/^\.\//, '')) };
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
