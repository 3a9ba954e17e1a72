import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { getOctokit } from '@actions/github';
import type { CleanRoom } from '../git/cleanRoom.js';
import { diffStats } from './diffStats.js';
import { readFinalFiles } from './finalFiles.js';
import { judgeChanges } from './judgeChanges.js';
import { keepOnLocalBranch } from './localBranch.js';
import { renderPrBody, prTitle } from '../report/prBody.js';
import { publishPullRequest } from './pullRequest.js';
import { pushBranch } from './pushBranch.js';
import type { Redactor } from '../secrets/redact.js';
import { gitOk } from '../git/safeGit.js';
import { createSecretFinder } from '../secrets/secretVariants.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import { writeCommit, type CommitIdentity } from './writeCommit.js';
import type { RunReport } from '../records/report.js';

export interface GitHubTarget {
  octokit: ReturnType<typeof getOctokit>;
  owner: string;
  repo: string;
  serverUrl: string;
}

export interface PublishOptions {
  /** The git directory the action owns; the workspace is only read, as files. */
  room: CleanRoom;
  work: WorkBranch;
  author: CommitIdentity;
  coAuthor?: CommitIdentity;
  /** Pushes the branch; off for local runs, which keep the commit on a local branch. */
  push: boolean;
  /** A run asked for on a pull request pushes to its branch; the PR is there already and its description stays the author's. */
  existingPull?: { number: number; url: string };
  /** Paths the run may not change: any change to them is left out of the commit. */
  isProtected: (path: string) => boolean;
  /** Known secret values: a change that carries one (in content, name or symlink target, in any common encoding) is left out. */
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
  const { room, work } = opts;
  const findSecret = createSecretFinder(opts.secrets);
  // The agent is done: its files are read once, judged, and what passes becomes one commit on the start commit.
  const { changes, base, removed } = await readFinalFiles(room, work.start);
  for (const path of removed) notes.push(`${path} was not a regular file (a FIFO or a device), so it was removed before the files were listed`);
  const judged = judgeChanges({ changes, base, isProtected: opts.isProtected, findSecret });
  notes.push(...judged.notes);
  const commit = await writeCommit({
    room,
    parent: work.start,
    changes: judged.apply,
    author: opts.author,
    coAuthor: opts.coAuthor,
    ...commitMessage(report, opts.redact, findSecret, notes),
  });
  const head = commit ?? work.start;
  if (commit) pub.commit = commit;
  const fileChanges = work.baseRef ? await diffStats({ git: room.git, base: work.baseRef, head }) : [];
  let result: RunReport = { ...report, fileChanges, publication: pub };
  if (fileChanges.length === 0) return result;

  if (!opts.push) {
    if (commit) await keepOnLocalBranch({ room, commit, start: work.start, branch: work.branch });
    pub.branch = work.branch;
    notes.push(`the work is committed on the local branch ${work.branch}; it was not pushed`);
  } else {
    try {
      const pushed = await pushBranch({ room, commit: head, branch: work.branch, fallbackSuffix: opts.runId });
      pub.branch = pushed.branch;
      if (commit) pub.commit = pushed.commit;
      notes.push(...pushed.notes);
    } catch (error) {
      const patch = join(opts.outDir, 'nightshift-work.patch');
      await writeFile(patch, await gitOk(room.git, ['format-patch', '--no-ext-diff', '--stdout', `${work.baseRef ?? work.start}..${head}`]));
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

/**
 * The commit's subject and body, redacted. A message that still carries a
 * secret in some encoding (the redactor masks raw values) gets a plain one:
 * the report stays in the pull request, where the redactor also runs.
 */
function commitMessage(report: RunReport, redact: Redactor, findSecret: (text: string) => unknown, notes: string[]): { subject: string; body: string } {
  const subject = redact(commitSubject(report));
  const body = redact(commitBody(report));
  if (!findSecret(`${subject}\n${body}`)) return { subject, body };
  notes.push("the agent's report would have put a secret value (encoded) in the commit message, so the message is a plain one");
  return { subject: report.task?.source.kind === 'issue' ? `Nightshift changes for #${report.task.source.number}` : 'Nightshift changes', body: `Nightshift ${report.status}. Verification: ${report.verification.verdict}.` };
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
