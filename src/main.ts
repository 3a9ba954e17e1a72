import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
// Logs through one door that redacts and makes model and issue text inert (no workflow commands).
import * as core from './outbound/log.js';
import { Outbound } from './outbound/outbound.js';
import { BudgetMeter, formatMinutes } from './agent/budget.js';
import { setUpAgent } from './agent/setUpAgent.js';
import { transcriptPath } from './agent/transcriptName.js';
import { readConfig, requireApiKey } from './config/readConfig.js';
import type { Config, InputName } from './config/schema.js';
import { openWorkspace, takeCheckoutCredential } from './git/openWorkspace.js';
import { prepareBranch, type WorkBranch } from './git/prepareBranch.js';
import { createOctokit } from './github/octokit.js';
import { redactRequests } from './github/redactRequests.js';
import type { GitHubTarget } from './github/target.js';
import { priceForModel } from './model/pricing.js';
import { billedTokens } from './model/usage.js';
import { planWork } from './plan/workItems.js';
import { RunProgress } from './progress/runProgress.js';
import { openPullRequest } from './publish/openPullRequest.js';
import { pushWork } from './publish/pushWork.js';
import { emptyReport, type RunReport } from './records/report.js';
import type { SessionResult, StepRecord } from './records/session.js';
import type { Task } from './records/task.js';
import { renderIssueComment } from './report/issueComment.js';
import { writeOutputs } from './report/outputs.js';
import { writeSummary } from './report/summary.js';
import { unsupportedRunner } from './runner/supportedRunner.js';
import { closeSession } from './session/closeSession.js';
import { answerOpenSession, openSession, type OpenSession } from './session/openSession.js';
import { errorMessage } from './text/errorMessage.js';
import { formatUsd, STATUS_LABEL } from './text/format.js';
import { baseBranchFor } from './trigger/baseBranch.js';
import { resolveTask } from './trigger/resolveTask.js';
import { runContext, type RunContext } from './trigger/runContext.js';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: the run stops at the next safe point and still publishes. */
  cancel: AbortSignal;
  /** Inputs given by the local entry or the demo instead of INPUT_* variables. */
  overrides?: Partial<Record<InputName, string>>;
  /** Push the branch (default). The local entry keeps its commit on a local branch instead. */
  push?: boolean;
}

/**
 * The whole run: inputs → task → agent session → report → publication.
 * This is the one place that decides the run's status; every error ends here.
 */
export async function run(opts: RunOptions): Promise<RunReport> {
  const startedAt = Date.now();
  const out = new Outbound({ inActions: opts.env.GITHUB_ACTIONS === 'true' });
  // Things work() set up that outlive it by a moment (the box, the clean room), removed however it ends.
  const cleanups: Array<() => Promise<void>> = [];
  let report: RunReport;
  try {
    report = await work(opts, out, cleanups);
  } catch (error) {
    report = emptyReport('failed', errorMessage(error));
    report.spent.elapsedMs = Date.now() - startedAt;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
  // The report leaves the program here: to the outputs, the summary, the log and the entry that called.
  report = out.value(report);
  await writeOutputs(report, opts.env).catch((error: unknown) => core.warning(`could not write the step's outputs: ${errorMessage(error)}`));
  await writeSummary(report, opts.env).catch((error: unknown) => core.warning(`could not write the job summary: ${errorMessage(error)}`));
  announce(report);
  return report;
}

async function work(opts: RunOptions, out: Outbound, cleanups: Array<() => Promise<void>>): Promise<RunReport> {
  const { env } = opts;
  const unsupported = unsupportedRunner(env);
  if (unsupported) return emptyReport('failed', unsupported);
  const config = readConfig(env, opts.overrides);
  const context = runContext(env, tmpdir());
  const github = await connectGitHub(config, context, out);
  if (config.mode === 'plan') return plan(config, context, github, env);
  // The clean room opens (reading the checkout only) while the trigger is checked: it is on the way to the first model request.
  const opening = openWorkspace({ env, tempDir: context.tempDir, token: config.githubToken, serverUrl: context.serverUrl, repository: github });
  // Removed however the run ends, also when it ends before the room has finished opening.
  cleanups.push(async () => (await opening).room.dispose());
  // A room that fails to open fails the run where it is awaited, not as an unhandled rejection while the trigger is checked.
  opening.catch(() => undefined);
  const resolution = await resolveTask({ config, context, github });
  // The event did not ask, or the person who asked may not: no model call, nothing changed.
  if (resolution.kind !== 'run') return emptyReport(resolution.kind, resolution.reason, { runUrl: context.runUrl });
  const apiKey = requireApiKey(config);

  const workspace = await opening;
  const credential = await takeCheckoutCredential(workspace, context.tempDir);
  if (credential.removed) core.info(`removed the persisted git credential (${credential.removed}) for the agent's part of the run`);
  out.know([...runSecrets(config, env), ...credential.secrets]);
  const { room } = workspace;
  const opened = await openSession({ room, task: resolution.task, reply: resolution.reply, github, repository: `${context.owner}/${context.repo}`,
    maxTotalCostUsd: config.maxTotalCostUsd, runUrl: context.runUrl, redact: out.text, findSecret: out.findSecret, log: core.warning });
  if (opened.kind === 'stop') return opened.report;
  const meter = new BudgetMeter({ ...config.budget, maxCostUsd: Math.max(0, Math.min(config.budget.maxCostUsd, config.maxTotalCostUsd - opened.spentBefore)) }, priceForModel(config.model, config.priceOverride));
  const branch = await prepareBranch({ room, task: opened.task, prefix: config.branchPrefix, runId: context.runId, taskKey: config.taskKey || undefined,
    baseBranch: baseBranchFor({ input: config.baseBranch, context, notice: (line) => opened.notices.push(line) }),
    headBranch: opened.resumed?.branch ?? (opened.task.source.kind === 'pull' ? opened.task.source.headBranch : undefined) });
  logStart(opened, branch, config, meter);

  const agent = await setUpAgent({ config, apiKey, env, workspace: workspace.path, serverUrl: context.serverUrl, meter, secrets: out.secrets, redact: out.text,
    transcriptPath: transcriptPath(context.tempDir, { runId: context.runId, job: env.GITHUB_JOB, jobIndex: env.NIGHTSHIFT_JOB_INDEX, attempt: env.GITHUB_RUN_ATTEMPT }),
    canPause: github !== undefined && opened.thread !== undefined, cancel: opts.cancel, log: core, cleanups });
  const { resume, approval } = await answerOpenSession(opened, resolution.reply, agent.toolbox);
  const progress = new RunProgress({ github, threadNumber: opened.thread, reaction: resolution.target?.reaction, meter, runUrl: context.runUrl, log: core.warning });
  // The reaction and the first comment go out while the model starts; the final update waits for them.
  void progress.start();
  const session = await agent.run({ task: opened.task.instruction, resume, onStep: (step) => {
    core.info(progressLine(step, meter));
    progress.step(step);
  } });
  const box = await agent.close(session);
  if (box.notice) core.warning(box.notice);

  const pushed = await pushWork(sessionReport({ session, task: opened.task, config, context, gate: agent.gate, transcriptPath: agent.transcript.path, approval, box, notes: opened.notices }),
    { room, work: branch, author: config.commitAuthor, coAuthor: coAuthorOf(opened.task.requester), push: opts.push ?? true, isProtected: agent.isProtected,
      findSecret: out.findSecret, redact: out.text, runId: context.runId, outDir: context.tempDir });
  const closed = await closeSession({ session: opened, result: session, branch: pushed.publication.branch ?? branch.branch, room, phrase: config.trigger.phrase,
    blockedCommands: agent.blockedCommands, redact: out.text, findSecret: out.findSecret });
  const progressNotes = progress.notes.length;
  const report = await openPullRequest({ ...pushed, awaiting: closed.awaiting, publication: { ...pushed.publication, notes: [...pushed.publication.notes, ...closed.notes, ...progress.notes] } },
    { github, push: opts.push ?? true, baseBranch: branch.baseBranch, existingPull: opened.task.source.kind === 'pull' ? { number: opened.task.source.number, url: opened.task.source.url } : undefined,
      labels: config.labels, reviewers: config.reviewers, outDir: context.tempDir, redact: out.text });
  await progress.finish(STATUS_LABEL[report.status] ?? report.status, renderIssueComment(report), report.publication.prUrl);
  // What went wrong updating the comment after the PR was opened reaches the summary, not the PR body.
  return { ...report, publication: { ...report.publication, notes: [...report.publication.notes, ...progress.notes.slice(progressNotes)] } };
}

/** The client every GitHub request goes through, its text redacted on the way out; none without a token and a repository. */
async function connectGitHub(config: Config, context: RunContext, out: Outbound): Promise<GitHubTarget | undefined> {
  if (!config.githubToken || !context.owner || !context.repo) return undefined;
  const octokit = await createOctokit({ token: config.githubToken, baseUrl: context.apiUrl });
  redactRequests(octokit, (value) => out.value(value));
  return { octokit, owner: context.owner, repo: context.repo, serverUrl: context.serverUrl };
}

/** plan mode: lists the maintenance work as a matrix for a fan-out job; no model call. */
async function plan(config: Config, context: RunContext, github: GitHubTarget | undefined, env: NodeJS.ProcessEnv): Promise<RunReport> {
  const result = await planWork({
    octokit: github?.octokit, owner: context.owner, repo: context.repo, label: config.plan.label, tasksFile: config.plan.tasksFile,
    workspace: await realpath(env.GITHUB_WORKSPACE ?? process.cwd()), branchPrefix: config.branchPrefix, maxItems: config.plan.maxItems,
  });
  const left = result.skipped.length > 0 ? `; ${result.skipped.length} left out because an open pull request already carries them` : '';
  return emptyReport('completed', `planned ${result.items.length} work item${result.items.length === 1 ? '' : 's'}${left}`, { runUrl: context.runUrl, plan: result });
}

/** Every value the run must never show: the inputs' credentials, the runner's tokens, and the variables named in secret_env. */
function runSecrets(config: Config, env: NodeJS.ProcessEnv): Array<string | undefined> {
  return [config.apiKey, config.githubToken, env.GITHUB_TOKEN, env.GH_TOKEN, env.ACTIONS_RUNTIME_TOKEN, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, ...config.secretEnv.map((name) => env[name])];
}

function sessionReport(opts: { session: SessionResult; task: Task; config: Config; context: RunContext; gate: { verdict: RunReport['verification']['verdict']; runs: RunReport['verification']['runs'] };
  transcriptPath: string; approval: RunReport['approval']; box: RunReport['box']; notes: string[] }): RunReport {
  const { session, config } = opts;
  return {
    status: session.status, reason: session.reason, stoppedBy: session.stoppedBy, task: opts.task, model: config.model, limits: config.budget,
    spent: session.spent, steps: session.steps, finalText: session.finalText, fileChanges: [],
    verification: { verdict: opts.gate.verdict, runs: opts.gate.runs, commands: config.verify },
    publication: { notes: [...opts.notes] }, runUrl: opts.context.runUrl, transcriptPath: opts.transcriptPath, approval: opts.approval, box: opts.box,
  };
}

function logStart(session: OpenSession, branch: WorkBranch, config: Config, meter: BudgetMeter): void {
  core.info(`Nightshift: ${session.task.title}`);
  if (session.resumed) core.info(`resuming the session on #${session.thread} (run ${session.resumed.runs + 1}; $${session.spentBefore.toFixed(4)} spent before)`);
  const where = branch.pullRequestBranch ? `working on the pull request's branch ${branch.branch}` : `branch ${branch.branch}${branch.continued ? ' (continuing an earlier run)' : ''} from ${branch.baseBranch}`;
  core.info(`${where}; model ${config.model}; ${meter.describeRemaining()}`);
}

function announce(report: RunReport): void {
  const line = `Nightshift ${report.status}: ${report.reason}`;
  if (report.status === 'failed' || report.status === 'cancelled' || report.status === 'stuck' || report.status === 'declined') core.setFailed(line);
  else if (report.status === 'budget-exhausted') core.warning(line);
  else core.info(line);
}

function coAuthorOf(requester: { login: string; id: number } | undefined) {
  return requester ? { name: requester.login, email: `${requester.id}+${requester.login}@users.noreply.github.com` } : undefined;
}

function progressLine(step: StepRecord, meter: BudgetMeter): string {
  const spent = meter.snapshot();
  const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '→'} ${call.summary}`).join('; ') || 'replied';
  return `step ${step.index}/${meter.limits.maxSteps} · ${billedTokens(spent.usage).toLocaleString('en-US')} tokens · ${formatUsd(spent.costUsd)} · ${formatMinutes(spent.elapsedMs)} — ${actions}`;
}
