import type { Octokit } from '../github/octokit.js';
import type { Task } from '../records/task.js';

/**
 * The task for `issue_number` (a plan matrix item, a manual run): the issue
 * fetched through the API, since the event that started the run carries none.
 */
export async function issueTask(opts: { octokit: Octokit; owner: string; repo: string; issueNumber: number; eventName: string }): Promise<Task> {
  let issue;
  try {
    ({ data: issue } = await opts.octokit.rest.issues.get({ owner: opts.owner, repo: opts.repo, issue_number: opts.issueNumber }));
  } catch (error) {
    throw new Error(`issue_number ${opts.issueNumber}: cannot read the issue from ${opts.owner}/${opts.repo} (${(error as Error).message})`, { cause: error });
  }
  if (issue.pull_request) throw new Error(`issue_number ${opts.issueNumber} is a pull request, not an issue`);
  return {
    title: issue.title,
    instruction: `${issue.title}\n\n${issue.body ?? ''}`.trim(),
    source: { kind: 'issue', event: opts.eventName, number: issue.number, url: issue.html_url },
    requester: issue.user ? { login: issue.user.login, id: issue.user.id } : undefined,
  };
}
