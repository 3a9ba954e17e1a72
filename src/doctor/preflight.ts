import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/schema.js';
import { branchName } from '../git/branchName.js';
import { branchRules, type BranchRules } from '../github/branchRules.js';
import type { GitHubTarget } from '../github/target.js';
import type { Task } from '../records/task.js';
import { tokenKind } from '../github/tokenKind.js';
import { workflowSetting } from './githubProbe.js';
import { workBranchFix, workBranchRefusals } from './githubItems.js';
import type { RunTraits } from './traits.js';

/** The preflight stands beside the clean room's opening; past this it is "could not tell" and the run goes on. */
export const PREFLIGHT_TIMEOUT_MS = 1_500;

/** What the preflight found that changes the run: a reason to stop now, notices to say at once, and what it could not tell. */
export interface PreflightVerdict {
  stop?: string;
  notices: string[];
  unknown: string[];
  /** The work branch's rules as read (the commit's signing decision reuses them rather than asking again). */
  workRules?: BranchRules;
}

/** The branch the work will be pushed as, as prepareBranch will name it (an earlier run's branch for the issue has the same prefix). */
function workBranchOf(config: Config, task: Task, runId: string): string {
  if (task.source.kind === 'pull') return task.source.headBranch;
  return config.taskKey ? `${config.branchPrefix}${config.taskKey}` : branchName({ prefix: config.branchPrefix, task, runId });
}

async function check(opts: {
  github: GitHubTarget;
  config: Config;
  task: Task;
  runId: string;
  traits: RunTraits;
  signal: AbortSignal;
}): Promise<PreflightVerdict> {
  const { github, config, traits } = opts;
  const { octokit, owner, repo } = github;
  const branch = workBranchOf(config, opts.task, opts.runId);
  const asksSetting = !traits.usesAppToken && tokenKind(config.githubToken) === 'installation';
  const [rules, setting] = await Promise.all([
    branchRules({ octokit, owner, repo, branch, signal: opts.signal }),
    asksSetting ? workflowSetting(octokit, owner, repo, opts.signal) : undefined,
  ]);
  const verdict: PreflightVerdict = { notices: [], unknown: [], ...(rules.unreadable ? {} : { workRules: rules }) };
  if (rules.unreadable) verdict.unknown.push(`the rules on ${branch}: ${rules.unreadable}`);
  const refusals = workBranchRefusals(rules, traits);
  // The summary and the log end the reason with their own full stop.
  const fix = workBranchFix(config.branchPrefix).replace(/\.$/, '');
  if (refusals.length > 0) verdict.stop = `stopped before any model request: the push of ${branch} would be refused (${refusals.join('; ')}); the fix: ${fix}`;
  if (setting?.ok && !setting.value.canApprovePullRequests)
    verdict.notices.push(
      'GitHub Actions may not open pull requests in this repository, so the run will push its branch and give a link to open the PR: ' +
        'Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests".',
    );
  return verdict;
}

/**
 * The checks that change a run's outcome, asked of GitHub while the clean room
 * opens: the work branch's rules (a push they refuse stops the run before any
 * model request) and the Actions PR setting (off: said at once). Never throws;
 * a slow or failed answer is "could not tell" and the run goes on.
 *
 * It asks nothing about `model` or `fallback_model`, on purpose. The model is proved by the run's
 * own first request, which it makes anyway. The fallback is needed only if the model fails, which
 * most runs never see: asking the provider about it on every run would cost each run a request
 * (and on Bedrock or Vertex a signed call or a token) for a case it rarely reaches, and a run that
 * does switch learns the same from the fallback's 404 at that moment. What can be known without
 * asking — no built-in price, the same id as model, another kind of tools — enterRun already
 * refuses before the first model request (checkFallback, runPrices). `mode: doctor` asks the API.
 */
export async function preflight(opts: {
  github?: GitHubTarget;
  config: Config;
  task: Task;
  runId: string;
  traits: RunTraits;
  timeoutMs?: number;
}): Promise<PreflightVerdict> {
  const { github } = opts;
  // A fork's head branch is not ours to push; the trigger has already decided about forks.
  const source = opts.task.source;
  if (!github || (source.kind === 'pull' && source.headRepoFullName !== `${github.owner}/${github.repo}`)) return { notices: [], unknown: [] };
  const timeoutMs = opts.timeoutMs ?? PREFLIGHT_TIMEOUT_MS;
  const timer = new AbortController();
  const late = sleep(timeoutMs, undefined, { signal: timer.signal, ref: false }).then(
    (): PreflightVerdict => ({ notices: [], unknown: [`GitHub did not answer within ${timeoutMs} ms`] }),
    (): PreflightVerdict => ({ notices: [], unknown: [] }),
  );
  // Aborted at the cap, so a request GitHub never answers does not hold the run (or the process) open.
  const asked = check({ ...opts, github, signal: timer.signal }).catch((error: unknown): PreflightVerdict => ({ notices: [], unknown: [String(error)] }));
  try {
    return await Promise.race([asked, late]);
  } finally {
    timer.abort();
  }
}
