import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { getOctokit } from '@actions/github';
import type { CommitIdentity } from './commitWork.js';
import { commitWork } from './commitWork.js';
import { diffStats } from './diffStats.js';
import { git, tryGit, type GitOptions } from './git.js';
import { renderPrBody, prTitle } from './prBody.js';
import { publishPullRequest } from './pullRequest.js';
import { pushBranch } from './pushBranch.js';
import { revertProtectedChanges, revertSecretBearingChanges } from './revertProtected.js';
import type { Redactor } from './redact.js';
import type { WorkBranch } from './prepareBranch.js';
import type { RunReport } from '../report.js';

export interface GitHubTarget {
  octokit: ReturnType<typeof getOctokit>;
  owner: string;
  repo: string;
  serverUrl: string;
}

export interface PublishOptions {
  local: GitOptions;
  remote: GitOptions;
  work: WorkBranch;
  author: CommitIdentity;
  coAuthor?: CommitIdentity;
  /** Pushes the branch; off for local runs, which keep the commit on a local branch. */
  push: boolean;
  /** A run asked for on a pull request pushes to its branch; the PR is there already and its description stays the author's. */
  existingPull?: { number: number; url: string };
  /** Paths the run may not change: any change to them is undone before commit. */
  isProtected: (path: string) => boolean;
  /** Known secret values: a changed file that contains one is never committed. */
  secrets: string[];
  github?: GitHubTarget;
  labels: string[];
  reviewers: string[];
  runId: string;
  /** Where files meant for a person go when there is no GitHub to send them to. */
  outDir: string;
  redact: Redactor;
}

/**
 * Commits, pushes and opens or updates the pull request — for every outcome,
 * so a failed, cancelled or exhausted run still leaves its work as a draft.
 * Each stage that fails becomes a note on the report instead of hiding the
 * stages before it.
 */
export async function publishWork(report: RunReport, opts: PublishOptions): Promise<RunReport> {
  const notes: string[] = [];
  const pub: RunReport['publication'] = { baseBranch: opts.work.baseBranch, notes };
  for (const path of await revertProtectedChanges(opts.local, opts.isProtected)) {
    notes.push(`a change to the protected path ${path} was undone before commit (protected_paths)`);
  }
  for (const path of await revertSecretBearingChanges(opts.local, opts.secrets)) {
    notes.push(`a change to ${path} contained a secret value, so it was undone before commit`);
  }
  const commit = await commitWork({
    git: opts.local,
    author: opts.author,
    coAuthor: opts.coAuthor,
    subject: opts.redact(commitSubject(report)),
    body: opts.redact(commitBody(report)),
  });
  if (commit) pub.commit = commit;
  const base = await baseRef(opts.local, opts.work.baseBranch);
  const fileChanges = base ? await diffStats({ git: opts.local, base }) : [];
  let result: RunReport = { ...report, fileChanges, publication: pub };
  if (fileChanges.length === 0) return result;

  if (!opts.push) {
    pub.branch = opts.work.branch;
    notes.push(`the work is committed on the local branch ${opts.work.branch}; it was not pushed`);
  } else {
    try {
      const pushed = await pushBranch({ local: opts.local, remote: opts.remote, branch: opts.work.branch, fallbackSuffix: opts.runId });
      pub.branch = pushed.branch;
      notes.push(...pushed.notes);
    } catch (error) {
      const patch = join(opts.outDir, 'nightshift-work.patch');
      await writeFile(patch, await git(opts.local, ['format-patch', '--stdout', `${base}..HEAD`]));
      notes.push(`the branch could not be pushed (${(error as Error).message}); the work is saved as a patch in ${patch}`);
      return result;
    }
  }
  result = { ...result, publication: pub };
  if (opts.existingPull) {
    Object.assign(pub, { prNumber: opts.existingPull.number, prUrl: opts.existingPull.url });
    return result;
  }
  const draft = !(report.status === 'completed' && report.verification.verdict === 'passed');
  if (!opts.github || !opts.push) {
    const bodyPath = join(opts.outDir, 'nightshift-pull-request.md');
    await writeFile(bodyPath, opts.redact(`# ${prTitle(result)}\n\n${renderPrBody(result)}\n`));
    notes.push(`no GitHub API to open a pull request with; its title and body are in ${bodyPath}`);
    return result;
  }
  const { octokit, owner, repo, serverUrl } = opts.github;
  try {
    const pr = await publishPullRequest({
      octokit, owner, repo, serverUrl,
      branch: pub.branch!, baseBranch: opts.work.baseBranch,
      title: opts.redact(prTitle(result)),
      // Notes the PR step itself adds are not in this body; the summary and the comment carry them.
      body: opts.redact(renderPrBody(result)),
      draft, labels: opts.labels, reviewers: opts.reviewers,
    });
    notes.push(...pr.notes);
    if (pr.kind === 'refused') pub.compareUrl = pr.compareUrl;
    else Object.assign(pub, { prNumber: pr.number, prUrl: pr.url, draft: pr.draft });
  } catch (error) {
    notes.push(`the pull request could not be opened: ${(error as Error).message}`);
  }
  return result;
}

function commitSubject(report: RunReport): string {
  const title = report.task?.title ?? 'Nightshift changes';
  return report.status === 'completed' ? title : `WIP (${report.status}): ${title}`;
}

function commitBody(report: RunReport): string {
  const summary = /## Summary\s*\n([\s\S]*?)(\n## |$)/.exec(report.finalText)?.[1]?.trim() ?? report.finalText.split('\n\n')[0] ?? '';
  return [
    summary,
    `Nightshift ${report.status}: ${report.reason}. Verification: ${report.verification.verdict}.`,
    report.task?.source.kind === 'issue' ? `Refs #${report.task.source.number}` : '',
  ]
    .filter((part) => part.trim() !== '')
    .join('\n\n');
}

/** The remote base branch when it exists (the PR's base), else the local one. */
async function baseRef(local: GitOptions, baseBranch: string): Promise<string | undefined> {
  for (const ref of [`refs/remotes/origin/${baseBranch}`, `refs/heads/${baseBranch}`]) {
    const found = await tryGit(local, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    if (found.exitCode === 0) return ref;
  }
  return undefined;
}
