import { z } from 'zod';
import type { Octokit } from '../github/octokit.js';
import { asUntrustedBlock } from './untrusted.js';

/** Most changed files listed for the model (GitHub's largest page). */
export const MAX_CHANGED_FILES = 100;

const changedFile = z.object({
  filename: z.string(),
  status: z.string(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  previous_filename: z.string().optional(),
});

export type ChangedFile = z.infer<typeof changedFile>;

/** A pull request's changed files (GET /repos/{owner}/{repo}/pulls/{n}/files), at most MAX_CHANGED_FILES, and whether there were more. */
export async function changedFiles(opts: { octokit: Octokit; owner: string; repo: string; number: number }): Promise<{ files: ChangedFile[]; more: boolean }> {
  const files: ChangedFile[] = [];
  let more = false;
  const pages = opts.octokit.paginate.iterator(opts.octokit.rest.pulls.listFiles, {
    owner: opts.owner,
    repo: opts.repo,
    pull_number: opts.number,
    per_page: MAX_CHANGED_FILES,
  });
  for await (const page of pages) {
    const parsed = z.array(changedFile).parse(page.data);
    const taken = parsed.slice(0, MAX_CHANGED_FILES - files.length);
    files.push(...taken);
    more = taken.length < parsed.length || /rel="next"/.test(page.headers.link ?? '');
    if (files.length >= MAX_CHANGED_FILES) break;
  }
  return { files, more };
}

/** The list as the model reads it: status, name (and old name), lines added and removed. File names are the PR author's text. */
export function renderChangedFiles(number: number, list: { files: ChangedFile[]; more: boolean }): string {
  if (list.files.length === 0) return `Pull request #${number} changes no files yet.`;
  const lines = list.files.map(
    (file) => `${file.status} ${file.previous_filename ? `${file.previous_filename} → ` : ''}${file.filename} (+${file.additions} −${file.deletions})`,
  );
  if (list.more) lines.push(`[… more files not listed: only the first ${MAX_CHANGED_FILES} are shown]`);
  return `Files changed by pull request #${number} (status, name, lines added and removed):\n${asUntrustedBlock(`files of pull request #${number}`, 'pull request', lines.join('\n'))}`;
}
