import { z } from 'zod';
import { errorMessage } from '../text/errorMessage.js';
import type { Octokit } from './octokit.js';

/** What the repository's rules ask of commits on one branch, as far as the token may read them. */
export interface BranchRules {
  branch: string;
  /** A `required_signatures` rule applies: unsigned commits are refused on push (or cannot be merged, on a base branch). */
  requiresSignedCommits: boolean;
  /** Status checks a `required_status_checks` rule names (their contexts). */
  requiredChecks: string[];
  /** A `pull_request` rule applies: changes reach the branch only through a pull request. */
  requiresPullRequest: boolean;
  /** Set when the rules could not be read (the answer's status and message); the other fields are then empty, not "no rules". */
  unreadable?: string;
}

// The documented shape of "Get rules for a branch"; only what we rely on is checked, other rule types pass through.
const ruleSchema = z.object({
  type: z.string(),
  parameters: z
    .object({ required_status_checks: z.array(z.object({ context: z.string() })).optional() })
    .loose()
    .optional(),
});
const rulesSchema = z.array(ruleSchema);

/** Every page of the rules, by hand: octokit.paginate drops `request.signal`, and a caller's deadline must reach the socket. */
async function allPages(opts: { octokit: Octokit; owner: string; repo: string; branch: string; signal?: AbortSignal }): Promise<unknown[]> {
  const { octokit, owner, repo, branch } = opts;
  const rules: unknown[] = [];
  for (let page = 1; page <= 10; page += 1) {
    const { data } = await octokit.rest.repos.getBranchRules({
      owner,
      repo,
      branch,
      per_page: 100,
      page,
      ...(opts.signal ? { request: { signal: opts.signal } } : {}),
    });
    rules.push(...data);
    if (data.length < 100) break;
  }
  return rules;
}

/**
 * The active rules for a branch (GET /repos/{owner}/{repo}/rules/branches/{branch}),
 * from every ruleset that targets it, whether or not the branch exists yet.
 * Classic branch protection is not included: its signature setting needs
 * admin to read, which the workflow token never has.
 */
export async function branchRules(opts: { octokit: Octokit; owner: string; repo: string; branch: string; signal?: AbortSignal }): Promise<BranchRules> {
  const { branch } = opts;
  const none: BranchRules = { branch, requiresSignedCommits: false, requiredChecks: [], requiresPullRequest: false };
  let data: unknown;
  try {
    data = await allPages(opts);
  } catch (error) {
    return { ...none, unreadable: errorMessage(error) };
  }
  const parsed = rulesSchema.safeParse(data);
  if (!parsed.success) return { ...none, unreadable: `the rules for ${branch} came back in an unexpected shape (${z.prettifyError(parsed.error)})` };
  const rules = parsed.data;
  const checks = rules.flatMap((rule) => (rule.type === 'required_status_checks' ? (rule.parameters?.required_status_checks ?? []) : []));
  return {
    branch,
    requiresSignedCommits: rules.some((rule) => rule.type === 'required_signatures'),
    requiredChecks: [...new Set(checks.map((check) => check.context))],
    requiresPullRequest: rules.some((rule) => rule.type === 'pull_request'),
  };
}
