import { readFile } from 'node:fs/promises';
import type { Octokit } from '../github/octokit.js';
import type { PlanResult, WorkItem } from '../records/plan.js';
import { slugify } from '../git/branchName.js';
import { resolveInWorkspace } from '../tools/workspace.js';

/**
 * Lists the maintenance lane's work: open issues with `label`, and the lines
 * of `tasksFile` (one task a line, `#` comments). Work that already has an
 * open pull request from its branch is left out, so a nightly schedule never
 * opens a second PR for the same task.
 */
export async function planWork(opts: {
  octokit?: Octokit;
  owner?: string;
  repo?: string;
  label: string;
  tasksFile: string;
  workspace: string;
  branchPrefix: string;
  maxItems: number;
}): Promise<PlanResult> {
  const items: WorkItem[] = [];
  if (opts.label !== '') {
    if (!opts.octokit || !opts.owner || !opts.repo) throw new Error('plan_label needs github_token and GITHUB_REPOSITORY to list issues');
    const issues = await opts.octokit.paginate(opts.octokit.rest.issues.listForRepo, {
      owner: opts.owner,
      repo: opts.repo,
      labels: opts.label,
      state: 'open',
      per_page: 100,
    });
    for (const issue of issues) {
      if (issue.pull_request) continue;
      items.push({ key: `${issue.number}-${slugify(issue.title)}`, title: issue.title, prompt: '', issue_number: issue.number });
    }
  }
  if (opts.tasksFile !== '') {
    const file = await resolveInWorkspace(opts.workspace, opts.tasksFile, { forWrite: false });
    let text: string;
    try {
      text = await readFile(file.absolute, 'utf8');
    } catch (error) {
      throw new Error(`tasks_file ${opts.tasksFile} cannot be read: ${(error as Error).message}`, { cause: error });
    }
    for (const line of text.split(/\r?\n/).map((entry) => entry.replace(/^\s*[-*]\s+/, '').trim())) {
      if (line === '' || line.startsWith('#')) continue;
      items.push({ key: `task-${slugify(line)}`, title: line.length > 72 ? `${line.slice(0, 71)}…` : line, prompt: line, issue_number: null });
    }
  }
  const open = opts.octokit && opts.owner && opts.repo ? await openBranches(opts.octokit, opts.owner, opts.repo) : new Map<string, string>();
  const skipped: PlanResult['skipped'] = [];
  const kept = items.filter((item) => {
    const pr = [...open].find(([branch]) =>
      item.issue_number !== null ? branch.startsWith(`${opts.branchPrefix}${item.issue_number}-`) : branch === `${opts.branchPrefix}${item.key}`,
    );
    if (pr) skipped.push({ key: item.key, pr: pr[1] });
    return !pr;
  });
  return { items: kept.slice(0, opts.maxItems), skipped };
}

async function openBranches(octokit: Octokit, owner: string, repo: string): Promise<Map<string, string>> {
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, state: 'open', per_page: 100 });
  return new Map(pulls.filter((pull) => pull.head.repo?.full_name === `${owner}/${repo}`).map((pull) => [pull.head.ref, pull.html_url]));
}
