import type { BranchRules } from '../github/branchRules.js';
import type { CheckStatus, DoctorItem } from '../records/doctor.js';
import type { GitHubFacts } from './facts.js';
import type { RunTraits } from './traits.js';

const NO_GITHUB = 'No github_token, or no repository (GITHUB_REPOSITORY), so nothing on GitHub could be asked.';
const PERMISSIONS_FIX = "Give the job permissions: contents: write, pull-requests: write, issues: write (the workflow's permissions: block).";
const SETTING_FIX =
  'Settings → Actions → General → Workflow permissions: tick "Allow GitHub Actions to create and approve pull requests" (an organisation must allow it first).';
const RULESET_FIX = "Settings → Rules → Rulesets: leave the work branches out of the ruleset's target branches, or give the bot a bypass.";

/** The worst of some statuses: fail, then warn, then could not tell, then pass. */
function worst(statuses: CheckStatus[]): CheckStatus {
  for (const status of ['fail', 'warn', 'unknown'] as const) if (statuses.includes(status)) return status;
  return 'pass';
}

/** Whether the token's pushes and PR start no workflow runs (the workflow's GITHUB_TOKEN, as far as can be told). */
function startsNoCi(github: GitHubFacts, traits: RunTraits): boolean {
  return !traits.usesAppToken && github.tokenKind === 'installation';
}

export function tokenPermissionsItem(github: GitHubFacts | undefined, traits: RunTraits): DoctorItem {
  const base = { id: 'token-permissions', title: 'The token may push, open pull requests and comment' };
  if (!github) return { ...base, status: 'fail', detail: NO_GITHUB, fix: 'Pass github_token (the default is the workflow token) in a workflow run.' };
  const repo = github.repository;
  if (!repo.ok) {
    const refused = repo.status === 401 || repo.status === 404;
    return {
      ...base,
      status: refused ? 'fail' : 'unknown',
      detail: `GET /repos/{owner}/{repo} answered ${repo.status ?? ''} ${repo.message}`.replace(/ +/g, ' '),
      fix: refused ? 'Pass a token that can see this repository.' : PERMISSIONS_FIX,
    };
  }
  const { scopes, canPush, private: isPrivate } = repo.value;
  if (canPush === false)
    return { ...base, status: 'fail', detail: "The token's user may not push to this repository.", fix: 'Use a token of a user or app with write access.' };
  if (scopes) {
    const enough = scopes.includes('repo') || (!isPrivate && scopes.includes('public_repo'));
    return enough
      ? { ...base, status: 'pass', detail: `A classic token with the scopes ${scopes.join(', ') || 'none'}, which cover the run.` }
      : {
          ...base,
          status: 'fail',
          detail: `A classic token with the scopes ${scopes.join(', ') || 'none'}: the run needs repo.`,
          fix: 'Give the token the repo scope.',
        };
  }
  if (traits.usesAppToken || github.tokenKind === 'installation') {
    const readOnly = github.workflow.ok && github.workflow.value.defaultPermissions === 'read';
    return {
      ...base,
      status: 'unknown',
      detail: `GitHub does not expose an installation token's permissions (the workflow's GITHUB_TOKEN or an app's) to the API.${readOnly ? " This repository's default for the workflow token is read-only, so the job must ask for them." : ''}`,
      fix: traits.usesAppToken ? 'Give the app Contents, Pull requests and Issues: Read and write.' : PERMISSIONS_FIX,
    };
  }
  return {
    ...base,
    status: 'unknown',
    detail: 'A fine-grained or other token: its own grants are not readable by the API (its user may push).',
    fix: 'Grant the token Contents, Pull requests and Issues: Read and write on this repository.',
  };
}

export function pullRequestSettingItem(github: GitHubFacts | undefined, traits: RunTraits): DoctorItem {
  const base = { id: 'actions-pull-requests', title: 'GitHub Actions may open pull requests here' };
  if (traits.usesAppToken)
    return { ...base, status: 'pass', detail: 'Not needed: the app token opens the pull request, and the setting is for the workflow token.' };
  if (!github) return { ...base, status: 'unknown', detail: NO_GITHUB, fix: SETTING_FIX };
  if (github.tokenKind !== 'installation' && github.tokenKind !== 'none')
    return { ...base, status: 'pass', detail: 'Not needed: the setting is for the workflow token, and this is a personal token.' };
  const setting = github.workflow;
  if (setting.ok && setting.value.canApprovePullRequests)
    return { ...base, status: 'pass', detail: 'The repository allows it (can_approve_pull_request_reviews).' };
  if (setting.ok)
    return {
      ...base,
      status: 'fail',
      detail: 'The setting is off: the run would push its branch, and GitHub would refuse the pull request (403).',
      fix: SETTING_FIX,
    };
  return {
    ...base,
    status: 'unknown',
    detail: `Reading the setting needs admin read access, which the workflow token does not have (${setting.status ?? ''} ${setting.message}).`.replace(
      /\( /,
      '(',
    ),
    fix: `Check it by hand: ${SETTING_FIX}`,
  };
}

/** Why the push of the work branch would be refused, one sentence each; empty when nothing refuses it. */
export function workBranchRefusals(rules: BranchRules, traits: RunTraits): string[] {
  const reasons: string[] = [];
  if (rules.requiresSignedCommits && !traits.signsCommits)
    reasons.push(
      `a ruleset requires signed commits on ${rules.branch}, and sign_commits is false, so the run's commits are not signed (auto or true signs them)`,
    );
  if (rules.requiresPullRequest) reasons.push(`a ruleset allows changes to ${rules.branch} only through a pull request`);
  if (rules.requiredChecks.length > 0)
    reasons.push(`a ruleset requires the checks ${rules.requiredChecks.join(', ')} to pass before ${rules.branch} is updated, which a new commit has not`);
  return reasons;
}

/** The fix for a work branch whose rules refuse the push. */
export function workBranchFix(prefix: string): string {
  return RULESET_FIX.replace('the work branches', `the work branches (${prefix}**)`);
}

export function workRulesItem(github: GitHubFacts | undefined, traits: RunTraits): DoctorItem {
  const rules = github?.workRules;
  const base = { id: 'work-branch-rules', title: `Rules on the work branch${rules ? ` ${rules.branch}` : ''} let the run push` };
  if (!github || !rules) return { ...base, status: 'unknown', detail: NO_GITHUB };
  if (rules.unreadable)
    return { ...base, status: 'unknown', detail: `The rules could not be read: ${rules.unreadable}.`, fix: 'Check Settings → Rules → Rulesets by hand.' };
  const refusals = workBranchRefusals(rules, traits);
  if (refusals.length === 0)
    return {
      ...base,
      status: 'pass',
      detail: rules.requiresSignedCommits
        ? "Signed commits are required: the run commits through GitHub's API, which signs them (sign_commits)."
        : 'No ruleset stops the push.',
    };
  return { ...base, status: 'fail', detail: `The push would be refused: ${refusals.join('; ')}.`, fix: workBranchFix(github.branchPrefix) };
}

export function baseRulesItem(github: GitHubFacts | undefined, traits: RunTraits): DoctorItem {
  const rules = github?.baseRules;
  const base = { id: 'base-branch-rules', title: `Rules on the base branch${rules ? ` ${rules.branch}` : ''}` };
  if (!github || !rules) return { ...base, status: 'unknown', detail: NO_GITHUB };
  if (rules.unreadable)
    return { ...base, status: 'unknown', detail: `The rules could not be read: ${rules.unreadable}.`, fix: 'Check Settings → Rules → Rulesets by hand.' };
  const found: Array<{ status: CheckStatus; text: string; fix?: string }> = [];
  if (rules.requiresPullRequest) found.push({ status: 'pass', text: 'changes need a pull request, which is how the run delivers them' });
  if (rules.requiresSignedCommits)
    found.push(
      traits.signsCommits
        ? { status: 'pass', text: 'signed commits are required, and the run signs its commits' }
        : {
            status: 'warn',
            text: "signed commits are required, and the run's commits are unsigned",
            fix: 'Merge its pull requests with "Squash and merge", which GitHub signs.',
          },
    );
  if (rules.requiredChecks.length > 0) {
    const checks = rules.requiredChecks.join(', ');
    found.push(
      startsNoCi(github, traits)
        ? {
            status: 'warn',
            text: `the checks ${checks} are required, and the workflow token's pull request starts no workflow, so they will not report`,
            fix: 'Pass a GitHub App token as github_token, or push to the PR (or close and reopen it) to start CI.',
          }
        : { status: 'pass', text: `the checks ${checks} are required; CI runs on the run's pull request` },
    );
  }
  if (found.length === 0) return { ...base, status: 'pass', detail: 'No ruleset asks anything of the pull request.' };
  const fixes = found.flatMap((each) => (each.fix ? [each.fix] : []));
  const text = found.map((each) => each.text).join('; ');
  return {
    ...base,
    status: worst(found.map((each) => each.status)),
    detail: `${text[0]!.toUpperCase()}${text.slice(1)}.`,
    ...(fixes.length ? { fix: fixes.join(' ') } : {}),
  };
}

export function ciItem(github: GitHubFacts | undefined, traits: RunTraits): DoctorItem {
  const base = { id: 'ci', title: "The run's push and pull request start CI" };
  if (traits.usesAppToken) return { ...base, status: 'pass', detail: "An app token's events start workflows." };
  if (!github) return { ...base, status: 'unknown', detail: NO_GITHUB };
  if (startsNoCi(github, traits))
    return {
      ...base,
      status: 'warn',
      detail:
        "An installation token: if it is the workflow's GITHUB_TOKEN (the default), its push and pull request start no workflow runs (only workflow_dispatch and repository_dispatch are exempt), so CI does not run on the PR.",
      fix: 'Pass a GitHub App token (actions/create-github-app-token) as github_token.',
    };
  return { ...base, status: 'pass', detail: "A personal token's push and pull request start workflows." };
}
