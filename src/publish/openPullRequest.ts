import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHubTarget } from '../github/target.js';
import type { RunReport } from '../records/report.js';
import { prTitle, renderPrBody } from '../report/prBody.js';
import { errorMessage } from '../text/errorMessage.js';
import { publishPullRequest } from './pullRequest.js';

/**
 * Opens the pull request for pushed work, a draft unless the work completed
 * and passed its checks. A run asked for on a pull request pushed to its
 * branch: that PR is there already and its description stays the author's.
 * Without GitHub (a local run) the title and body go to a file instead. The
 * body is rendered last, so it carries every note collected before it.
 */
export async function openPullRequest(
  report: RunReport,
  opts: {
    github?: GitHubTarget;
    push: boolean;
    baseBranch: string;
    existingPull?: { number: number; url: string };
    labels: string[];
    reviewers: string[];
    outDir: string;
    redact: (text: string) => string;
  },
): Promise<RunReport> {
  const publication = { ...report.publication, notes: [...report.publication.notes] };
  const result: RunReport = { ...report, publication };
  if (report.fileChanges.length === 0 || !publication.branch) return result;
  if (opts.existingPull) return { ...result, publication: { ...publication, prNumber: opts.existingPull.number, prUrl: opts.existingPull.url } };
  if (!opts.github || !opts.push) {
    const bodyPath = join(opts.outDir, 'nightshift-pull-request.md');
    await writeFile(bodyPath, opts.redact(`# ${prTitle(result)}\n\n${renderPrBody(result)}\n`));
    publication.notes.push(`no GitHub API to open a pull request with; its title and body are in ${bodyPath}`);
    return result;
  }
  const { octokit, owner, repo, serverUrl } = opts.github;
  try {
    const pr = await publishPullRequest({
      octokit,
      owner,
      repo,
      serverUrl,
      branch: publication.branch,
      baseBranch: opts.baseBranch,
      // Redacted on its way out, with every request to GitHub.
      title: prTitle(result),
      body: renderPrBody(result),
      draft: !(report.status === 'completed' && report.verification.verdict === 'passed'),
      labels: opts.labels,
      reviewers: opts.reviewers,
    });
    publication.notes.push(...pr.notes);
    if (pr.kind === 'refused') publication.compareUrl = pr.compareUrl;
    else Object.assign(publication, { prNumber: pr.number, prUrl: pr.url, draft: pr.draft });
  } catch (error) {
    publication.notes.push(`the pull request could not be opened: ${errorMessage(error)}`);
  }
  return result;
}
