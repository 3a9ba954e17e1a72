import type { Config } from '../config/schema.js';
import type { ModelAccess } from '../model/access.js';
import type { Workspace } from '../git/openWorkspace.js';
import type { WorkBranch } from '../git/prepareBranch.js';
import type { BranchRules } from '../github/branchRules.js';
import type { GitHubTarget } from '../github/target.js';
import type { Outbound } from '../outbound/outbound.js';
import type { BudgetMeter } from '../agent/budget.js';
import type { OpenSession } from '../session/openSession.js';
import type { Resolution } from '../trigger/resolveTask.js';
import type { RunContext } from '../trigger/runContext.js';

/** What every stage of one run shares: its inputs, its context, the GitHub client, the door text leaves by. */
export interface RunScope {
  env: NodeJS.ProcessEnv;
  config: Config;
  context: RunContext;
  github?: GitHubTarget;
  out: Outbound;
  cancel: AbortSignal;
  /** Push the branch and open the PR (the action); the local entry keeps a local commit. */
  push: boolean;
  /** Set up by a stage, removed however the run ends. */
  cleanups: Array<() => Promise<void>>;
}

/** A run that is going ahead: the task, the workspace and clean room, the session, the budget and the branch. */
export interface EnteredRun extends RunScope {
  /** The provider and its credentials. */
  access: ModelAccess;
  resolution: Extract<Resolution, { kind: 'run' }>;
  workspace: Workspace;
  opened: OpenSession;
  meter: BudgetMeter;
  branch: WorkBranch;
  /** Pushes and opens the PR when a GitHub App's token does (app_id): events it makes start CI. Otherwise `github` does. */
  publisher?: GitHubTarget;
  /** The work branch's rules, when the preflight read them. */
  workRules?: BranchRules;
}
