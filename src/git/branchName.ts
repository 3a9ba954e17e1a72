import type { Task } from '../records/task.js';

const SLUG_LENGTH = 40;

export function slugify(text: string): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, SLUG_LENGTH).replace(/-+$/, '') || 'task';
}

/**
 * `<prefix><issue>-<slug>` for an issue, so every run on that issue finds the
 * same branch; `<prefix><slug>-<run id>` for prompts (schedule, dispatch),
 * which have no identity across runs.
 */
export function branchName(opts: { prefix: string; task: Task; runId: string }): string {
  const { task } = opts;
  return task.source.kind === 'issue' ? `${opts.prefix}${task.source.number}-${slugify(task.title)}` : `${opts.prefix}${slugify(task.title)}-${opts.runId}`;
}

/** The ref pattern that finds an earlier branch for the same issue, whatever its title was then. */
export function issueBranchPattern(prefix: string, issueNumber: number): string {
  return `${prefix}${issueNumber}-`;
}
