import { BudgetMeter } from '../agent/budget.js';
import { accessFiles, modelAccess, type ModelAccess } from '../model/access.js';
import { excludeFromRoom } from '../git/excludeFromRoom.js';
import { privateFiles } from '../guard/privateFiles.js';
import { preflight } from '../doctor/preflight.js';
import { runTraits } from '../doctor/traits.js';
import { openWorkspace, takeCheckoutCredential, type Workspace } from '../git/openWorkspace.js';
import { prepareBranch } from '../git/prepareBranch.js';
import { checkFallback } from '../model/fallback.js';
import { runPrices } from '../model/pricing.js';
import * as core from '../outbound/log.js';
import { emptyReport, type RunReport } from '../records/report.js';
import { openSession, type OpenSession } from '../session/openSession.js';
import { runLimits } from '../session/topUp.js';
import { baseBranchFor } from '../trigger/baseBranch.js';
import { resolveTask } from '../trigger/resolveTask.js';
import { appKeySecrets, appPublisher } from './publisher.js';
import type { EnteredRun, RunScope } from './scope.js';

/**
 * Event → task → session: whether the event asks and the person may ask (no
 * model call before this), the clean room (opened while that is checked), the
 * checkout's credential taken away, a paused session resumed or a fresh one,
 * the budget left, and the branch. Or the report of a run that stops here.
 */
export async function enterRun(scope: RunScope): Promise<EnteredRun | { report: RunReport }> {
  const { config, context, github, out } = scope;
  // The clean room only reads the checkout, so it opens while the trigger is checked: it is on the way to the first model request.
  const opening = openWorkspace({ env: scope.env, tempDir: context.tempDir, token: config.githubToken, serverUrl: context.serverUrl, repository: github });
  // Removed however the run ends, also when it ends before the room has finished opening.
  scope.cleanups.push(async () => (await opening).room.dispose());
  // A room that fails to open fails the run where it is awaited, not as an unhandled rejection while the trigger is checked.
  opening.catch(() => undefined);
  const resolution = await resolveTask({ config, context, github });
  // The event did not ask, or the person who asked may not: no model call, nothing changed.
  if (resolution.kind !== 'run') return { report: emptyReport(resolution.kind, resolution.reason, { runUrl: context.runUrl }) };
  // What would change the outcome (rules refusing the push, the PR setting), asked while the room opens; it never throws.
  const checks = preflight({ github: scope.push ? github : undefined, config, task: resolution.task, runId: context.runId, traits: runTraits(config) });
  const access = modelAccess(config, scope.env);
  checkFallback(config, access);
  const workspace = await opening;
  await knowSecrets(scope, workspace, access);
  // The provider's credentials file in the workspace (the auth step's gha-creds-*.json) is never published.
  await excludeFromRoom(workspace.room, privateFiles(workspace.path, accessFiles(access)).inWorkspace);
  // Before the branch is prepared: from here on the room talks to origin with the app's token, when there is one.
  const publisher = await appPublisher(scope, workspace);
  const opened = await openSession({
    room: workspace.room,
    task: resolution.task,
    reply: resolution.reply,
    command: resolution.command,
    github,
    repository: `${context.owner}/${context.repo}`,
    maxTotalCostUsd: config.maxTotalCostUsd,
    runUrl: context.runUrl,
    redact: out.text,
    findSecret: out.findSecret,
    log: core.warning,
  });
  if (opened.kind === 'stop') return { report: opened.report };
  const verdict = await checks;
  if (verdict.stop) return { report: emptyReport('failed', verdict.stop, { runUrl: context.runUrl, task: opened.task }) };
  for (const notice of verdict.notices) core.warning(notice);
  if (verdict.unknown.length > 0) core.info(`preflight could not tell: ${verdict.unknown.join('; ')}`);
  // What of the request could not reach the model is said in the summary.
  opened.notices.push(...(resolution.notices ?? []), ...verdict.notices);
  // What earlier runs of the session spent comes off this run's dollars (max_total_cost_usd); a top-up's amount replaces max_cost_usd.
  const limits = runLimits({
    limits: config.budget,
    maxTotalCostUsd: config.maxTotalCostUsd,
    spentBefore: opened.spentBefore,
    amountUsd: opened.topUp?.amountUsd,
  });
  const meter = new BudgetMeter(limits, runPrices({ model: config.model, override: config.priceOverride, fallbackModel: config.fallbackModel }));
  const entered = {
    ...scope,
    access,
    resolution,
    workspace,
    opened,
    meter,
    publisher,
    workRules: verdict.workRules,
    branch: await workBranch(scope, workspace, opened),
  };
  logStart(entered);
  return entered;
}

/** Every value the run must never show, known before anything is said: the inputs' credentials (the app key too), the runner's tokens, secret_env, the checkout's credential. */
async function knowSecrets(scope: RunScope, workspace: Workspace, access: ModelAccess): Promise<void> {
  const { config, env } = scope;
  const credential = await takeCheckoutCredential(workspace, scope.context.tempDir);
  if (credential.removed) core.info(`removed the persisted git credential (${credential.removed}) for the agent's part of the run`);
  // The runner's tokens, and the AWS secrets an auth step exported whichever provider this run uses.
  const runner = [
    env.GITHUB_TOKEN,
    env.GH_TOKEN,
    env.ACTIONS_RUNTIME_TOKEN,
    env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    env.AWS_SECRET_ACCESS_KEY,
    env.AWS_SESSION_TOKEN,
    env.AWS_BEARER_TOKEN_BEDROCK,
  ];
  scope.out.know([
    config.apiKey,
    config.githubToken,
    ...runner,
    ...config.secretEnv.map((name) => env[name]),
    ...credential.secrets,
    ...appKeySecrets(config),
    ...Object.values(config.gateway.headers),
    ...access.secrets,
  ]);
}

function workBranch(scope: RunScope, workspace: Workspace, opened: OpenSession) {
  const { config, context } = scope;
  const source = opened.task.source;
  return prepareBranch({
    room: workspace.room,
    task: opened.task,
    prefix: config.branchPrefix,
    runId: context.runId,
    taskKey: config.taskKey || undefined,
    // Work on a pull request is measured against the branch it targets, whatever base_branch says.
    baseBranch:
      source.kind === 'pull' && source.baseBranch !== ''
        ? source.baseBranch
        : baseBranchFor({ input: config.baseBranch, context, notice: (line) => opened.notices.push(line) }),
    headBranch: opened.resumed?.branch ?? (source.kind === 'pull' ? source.headBranch : undefined),
  });
}

function logStart({ opened, branch, config, meter }: EnteredRun): void {
  core.info(`Nightshift: ${opened.task.title}`);
  const topUp = opened.topUp ? `, a top-up${opened.topUp.amountUsd !== undefined ? ` of $${opened.topUp.amountUsd}` : ''} by @${opened.topUp.by}` : '';
  if (opened.resumed)
    core.info(`resuming the session on #${opened.thread} (run ${opened.resumed.runs + 1}; $${opened.spentBefore.toFixed(4)} spent before${topUp})`);
  const where = branch.pullRequestBranch
    ? `working on the pull request's branch ${branch.branch}`
    : `branch ${branch.branch}${branch.continued ? ' (continuing an earlier run)' : ''} from ${branch.baseBranch}`;
  const fallback = config.fallbackModel ? ` (fallback_model ${config.fallbackModel})` : '';
  core.info(`${where}; model ${config.model}${fallback}; ${meter.describeRemaining()}`);
}
