import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
// Logs through one door that makes model and issue text inert (no workflow commands).
import * as core from './progress/log.js';
import { BudgetMeter, formatMinutes } from './agent/budget.js';
import { runAgent } from './agent/loop.js';
import { systemPrompt, taskMessage } from './agent/prompt.js';
import { Transcript } from './agent/transcript.js';
import type { SessionResult, StepRecord } from './records/session.js';
import { readConfig, requireApiKey } from './config/readConfig.js';
import type { Config, InputName } from './config/schema.js';
import { planWork } from './plan/workItems.js';
import { agentEnv, CREDENTIAL_VARIABLES, refusedAgentEnv } from './box/agentEnv.js';
import { openBoxInBackground } from './box/openBox.js';
import { createOctokit } from './github/octokit.js';
import { createModelClient } from './model/client.js';
import { priceForModel } from './model/pricing.js';
import { billedTokens } from './model/usage.js';
import { formatUsd, STATUS_LABEL } from './text/format.js';
import { openCleanRoom } from './git/cleanRoom.js';
import { renderIssueComment } from './report/issueComment.js';
import { RunProgress } from './progress/runProgress.js';
import { writeOutputs } from './report/outputs.js';
import { prepareBranch } from './git/prepareBranch.js';
import { removePersistedCredentials } from './git/credentials.js';
import { protectedMatcher } from './guard/protectedPaths.js';
import { DEFAULT_BLOCKED_COMMANDS } from './guard/blockedCommands.js';
import { publishWork, type GitHubTarget } from './publish/publishWork.js';
import { createRedactor, redactReport } from './secrets/redact.js';
import { createSecretFinder } from './secrets/secretVariants.js';
import { writeSummary } from './report/summary.js';
import { transcriptPath } from './agent/transcriptName.js';
import { emptyReport, type BoxRecord, type RunReport } from './records/report.js';
import { runCheckCommands } from './tools/runChecks.js';
import { createToolbox, supportsAnthropicToolTypes } from './tools/toolbox.js';
import type { ToolContext } from './tools/types.js';
import { runContext, type RunContext } from './trigger/runContext.js';
import { unsupportedRunner } from './runner/supportedRunner.js';
import type Anthropic from '@anthropic-ai/sdk';
import { compactConversation } from './agent/compact.js';
import { estimateTokens } from './agent/estimate.js';
import { answerNothingPending, answerPending, planResume, replyHint } from './session/resume.js';
import { MAX_SAVED_BYTES, type SavedSession } from './session/savedSession.js';
import { saveSession } from './session/sessionStore.js';
import { DEFAULT_APPROVAL_REQUIRED } from './tools/pauseTools.js';
import { resolveTask } from './trigger/resolveTask.js';
import { baseBranchFor } from './trigger/baseBranch.js';
import { VerificationGate } from './verify/gate.js';
import { errorMessage } from './text/errorMessage.js';

/** Bytes of one command's output the model gets back, head and tail kept. */
const MAX_TOOL_OUTPUT_BYTES = 30_000;

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
  let report: RunReport;
  // Things work() set up that outlive it by a moment (the clean room), removed however it ends.
  const cleanups: Array<() => Promise<void>> = [];
  try {
    report = await work(opts, cleanups);
  } catch (error) {
    report = emptyReport('failed', errorMessage(error));
    report.spent.elapsedMs = Date.now() - startedAt;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
  writeOutputs(report);
  await writeSummary(report).catch((error: unknown) => core.warning(`could not write the job summary: ${errorMessage(error)}`));
  const line = `Nightshift ${report.status}: ${report.reason}`;
  if (report.status === 'failed' || report.status === 'cancelled' || report.status === 'stuck' || report.status === 'declined') core.setFailed(line);
  else if (report.status === 'budget-exhausted') core.warning(line);
  else core.info(line);
  return report;
}

async function work(opts: RunOptions, cleanups: Array<() => Promise<void>>): Promise<RunReport> {
  const { env } = opts;
  const unsupported = unsupportedRunner(env);
  if (unsupported) return emptyReport('failed', unsupported);
  const config = readConfig(env, opts.overrides);
  const context = runContext(env, tmpdir());
  if (config.mode === 'plan') return plan(config, context, env);
  const price = priceForModel(config.model, config.priceOverride);
  const github: GitHubTarget | undefined =
    config.githubToken && context.owner && context.repo
      ? { octokit: await createOctokit({ token: config.githubToken, baseUrl: context.apiUrl }), owner: context.owner, repo: context.repo, serverUrl: context.serverUrl }
      : undefined;
  const resolution = await resolveTask({ config, context, github });
  // The event did not ask, or the person who asked may not: no model call, nothing changed.
  if (resolution.kind !== 'run') return emptyReport(resolution.kind, resolution.reason, { runUrl: context.runUrl });
  const { target, reply } = resolution;
  const apiKey = requireApiKey(config);
  let task = resolution.task;
  const workspace = await realpath(env.GITHUB_WORKSPACE ?? process.cwd());

  // The git directory publication happens from, opened before the agent can touch anything.
  const room = await openCleanRoom({ workspace, tempDir: context.tempDir, env, token: config.githubToken, serverUrl: context.serverUrl,
    repository: context.owner && context.repo ? { owner: context.owner, repo: context.repo } : undefined });
  cleanups.push(room.dispose);
  const persisted = await removePersistedCredentials({ git: room.workspaceGit, tempDir: context.tempDir });
  if (persisted.keys.length > 0) core.info(`removed the persisted git credential (${[...persisted.keys, ...persisted.files].join(', ')}) for the agent's part of the run`);

  const secrets = [config.apiKey, config.githubToken, env.GITHUB_TOKEN, env.GH_TOKEN, env.ACTIONS_RUNTIME_TOKEN, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, ...config.secretEnv.map((name) => env[name]), ...persisted.secrets];
  // Masks the values in the runner's log; outside Actions the command would only be noise.
  if (env.GITHUB_ACTIONS === 'true') for (const secret of secrets) if (secret) core.setSecret(secret);
  const redact = createRedactor(secrets);
  const findSecret = createSecretFinder(secrets);
  const isProtected = protectedMatcher(config.protectedPaths);

  // A reply on a thread with a paused session continues that session.
  const threadNumber = task.source.kind === 'prompt' ? undefined : task.source.number;
  const repository = `${context.owner}/${context.repo}`;
  const notices: string[] = [];
  const resume = reply && threadNumber !== undefined ? await planResume({ room, thread: threadNumber, repository, reply: reply.text }) : { kind: 'fresh' as const };
  if (resume.kind === 'raced') return emptyReport('skipped', `another run already resumed the session on #${threadNumber}`, { runUrl: context.runUrl });
  if (resume.kind === 'nothing-pending') {
    await answerNothingPending({ github, thread: threadNumber!, reason: resume.reason, log: core.warning });
    return emptyReport('skipped', resume.reason, { runUrl: context.runUrl });
  }
  if (resume.kind === 'fresh' && resume.notice) notices.push(resume.notice);
  const resumed = resume.kind === 'resume' ? resume.state : undefined;
  if (resumed) task = { ...task, title: resumed.task.title, instruction: resumed.task.instruction };
  const spentBefore = resumed?.totalCostUsd ?? 0;
  if (resumed && spentBefore >= config.maxTotalCostUsd) {
    // Put the session back as it was: a later run with a larger bound can still continue it.
    await saveSession({ room, redact, findSecret, state: resumed });
    return emptyReport('budget-exhausted', `max_total_cost_usd reached across runs: $${spentBefore.toFixed(4)} of $${config.maxTotalCostUsd} spent on this session`, { stoppedBy: 'cost', runUrl: context.runUrl });
  }
  const meter = new BudgetMeter({ ...config.budget, maxCostUsd: Math.max(0, Math.min(config.budget.maxCostUsd, config.maxTotalCostUsd - spentBefore)) }, price);

  const branch = await prepareBranch({ room, task, prefix: config.branchPrefix, runId: context.runId,
    baseBranch: baseBranchFor({ input: config.baseBranch, context, notice: (line) => notices.push(line) }), taskKey: config.taskKey || undefined,
    headBranch: resumed?.branch ?? (task.source.kind === 'pull' ? task.source.headBranch : undefined),
  });
  core.info(`Nightshift: ${task.title}`);
  core.info(`${branch.pullRequestBranch ? `working on the pull request's branch ${branch.branch}` : `branch ${branch.branch}${branch.continued ? ' (continuing an earlier run)' : ''} from ${branch.baseBranch}`}; model ${config.model}; ${meter.describeRemaining()}`);

  // The agent's commands run in a box of their own from here until the work is read for publication. It opens
  // while the first model request is on its way; with isolation: user, no model call is made before it stands.
  const box = openBoxInBackground({ config: config.box, workspace, env, serverUrl: context.serverUrl, entry: { node: process.execPath, script: process.argv[1] ?? '' } });
  if (config.box.isolation.required) await box.ready;
  cleanups.unshift(async () => void (await (await box.ready).close()));
  void box.ready.then((opened) => core.info(opened.description), () => undefined);
  const secretNames = [...CREDENTIAL_VARIABLES, ...config.secretEnv];
  for (const line of refusedAgentEnv({ extraNames: config.box.agentEnv, secretNames })) core.warning(line);
  const childEnv = agentEnv({ source: env, extraNames: config.box.agentEnv, secretNames, secretValues: secrets.filter((secret): secret is string => !!secret) });

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(0, meter.agentDeadline - Date.now()));
  const toolContext: ToolContext = {
    workspace, env: childEnv, commandTimeoutMs: config.commandTimeoutMs, maxOutputBytes: MAX_TOOL_OUTPUT_BYTES,
    checks: config.verify, signal: AbortSignal.any([deadline.signal, opts.cancel]),
    isProtected, blockedCommands: [...DEFAULT_BLOCKED_COMMANDS.map((pattern) => new RegExp(pattern)), ...config.blockedCommands],
    approvalRequired: [...DEFAULT_APPROVAL_REQUIRED.map((pattern) => new RegExp(pattern)), ...config.approvalRequired],
    approved: new Set<string>(), exec: box.exec,
  };
  let answer: Anthropic.Messages.ContentBlockParam[] | undefined;
  let approval: RunReport['approval'];
  if (resumed && reply) {
    // An approved command runs here; the model and the report learn exactly how it went.
    ({ blocks: answer, approval } = await answerPending({ state: resumed, reply: reply.text, author: reply.author, decision: resume.kind === 'resume' ? resume.decision : undefined, ctx: toolContext }));
    core.info(`resuming the session on #${threadNumber} (run ${resumed.runs + 1}; $${spentBefore.toFixed(4)} spent before)`);
  }
  const gate = new VerificationGate({ checks: config.verify, maxAttempts: config.verifyAttempts, runChecks: (checks) => runCheckCommands(toolContext, checks) });
  const transcript = new Transcript(transcriptPath(context.tempDir, { runId: context.runId, job: env.GITHUB_JOB, jobIndex: env.NIGHTSHIFT_JOB_INDEX, attempt: env.GITHUB_RUN_ATTEMPT }), redact);
  const system = systemPrompt({ checks: config.verify });
  // Pausing needs a thread to ask on and a place to keep the session.
  const canPause = github !== undefined && threadNumber !== undefined;
  const toolbox = createToolbox(toolContext, { anthropicToolTypes: supportsAnthropicToolTypes(config.model), pauseTools: canPause });
  transcript.record({ type: 'start', model: config.model, task: task.instruction, system, tools: toolbox.definitions.map((tool) => ('name' in tool ? tool.name : tool.type)) });

  const progress = new RunProgress({
    github, threadNumber, reaction: target?.reaction, meter, runUrl: context.runUrl, log: core.warning, redact,
  });
  await progress.start();

  let session: SessionResult;
  try {
    session = await runAgent({
      client: createModelClient({ apiKey, baseUrl: config.baseUrl }),
      model: config.model, system, task: taskMessage(task.instruction), toolbox, meter, gate, transcript,
      resume: resumed && answer ? { messages: resumed.messages as Anthropic.Messages.MessageParam[], answer } : undefined,
      maxOutputTokens: config.maxOutputTokens, contextCeilingTokens: config.contextCeilingTokens, deadline: deadline.signal, cancel: opts.cancel,
      onStep: (step) => {
        core.info(progressLine(step, meter));
        progress.step(step);
      },
    });
  } catch (error) {
    // A bug of ours must not cost the work: publish what is there as a failed run.
    session = { status: 'failed', reason: `internal error: ${errorMessage(error)}`, finalText: '', steps: [], spent: meter.snapshot(), editedFiles: [] };
  } finally {
    clearTimeout(timer);
  }
  // Nothing of the agent's may run while its work is read and published.
  const boxRecord: BoxRecord = await box.ready.then(
    (opened) => opened.close(),
    // Only a required box can fail to open, and that was awaited before any model call; this keeps the work regardless.
    (error: unknown) => ({ isolation: 'none' as const, network: config.box.network, enforced: false, egress: [], notice: `the box could not be opened: ${errorMessage(error)}` }),
  );
  if (boxRecord.notice) core.warning(boxRecord.notice);
  transcript.record({ type: 'box', box: boxRecord });
  for (const run of gate.runs) transcript.record({ type: 'verification', attempt: run.attempt, results: run.results });
  transcript.record({ type: 'end', status: session.status, reason: session.reason, maxRssMb: process.resourceUsage().maxRSS / 1024 });

  const report = await publishWork(
    redactReport({
      status: session.status, reason: session.reason, stoppedBy: session.stoppedBy, task, model: config.model, limits: config.budget,
      spent: session.spent, steps: session.steps, finalText: redact(session.finalText), fileChanges: [],
      verification: { verdict: gate.verdict, runs: gate.runs, commands: config.verify },
      publication: { notes: [] }, runUrl: context.runUrl, transcriptPath: transcript.path, approval, box: boxRecord,
    }, redact),
    {
      room, work: branch, author: config.commitAuthor, coAuthor: coAuthorOf(task.requester), push: opts.push ?? true, github,
      existingPull: task.source.kind === 'pull' ? { number: task.source.number, url: task.source.url } : undefined,
      isProtected, secrets: secrets.filter((secret): secret is string => !!secret), labels: config.labels, reviewers: config.reviewers, runId: context.runId, outDir: context.tempDir, redact,
    },
  );
  report.publication.notes.push(...notices);
  if (session.pause && threadNumber !== undefined) {
    report.awaiting = replyHint(session.pause.pending, config.trigger.phrase, toolContext.blockedCommands);
    await saveSession({
      room, redact, findSecret,
      state: {
        version: 1, repository, thread: threadNumber, branch: report.publication.branch ?? branch.branch, savedAt: new Date().toISOString(),
        totalCostUsd: spentBefore + session.spent.costUsd, runs: (resumed?.runs ?? 0) + 1, task: { title: task.title, instruction: task.instruction },
        messages: boundedMessages(session.pause.messages) as SavedSession['messages'], partialResults: session.pause.partialResults, pending: session.pause.pending,
      },
    }).catch((error: unknown) => report.publication.notes.push(`the session could not be saved, so a reply will start fresh: ${errorMessage(error)}`));
  }
  await progress.finish(STATUS_LABEL[report.status] ?? report.status, redact(renderIssueComment(report)), report.publication.prUrl);
  report.publication.notes.push(...progress.notes);
  return redactReport(report, redact);
}

/** plan mode: lists the maintenance work as a matrix for a fan-out job; no model call. */
async function plan(config: Config, context: RunContext, env: NodeJS.ProcessEnv): Promise<RunReport> {
  const octokit = config.githubToken ? await createOctokit({ token: config.githubToken, baseUrl: context.apiUrl }) : undefined;
  const result = await planWork({
    octokit, owner: context.owner, repo: context.repo, label: config.plan.label, tasksFile: config.plan.tasksFile,
    workspace: await realpath(env.GITHUB_WORKSPACE ?? process.cwd()), branchPrefix: config.branchPrefix, maxItems: config.plan.maxItems,
  });
  const left = result.skipped.length > 0 ? `; ${result.skipped.length} left out because an open pull request already carries them` : '';
  return emptyReport('completed', `planned ${result.items.length} work item${result.items.length === 1 ? '' : 's'}${left}`, { runUrl: context.runUrl, plan: result });
}


/** Saved conversations stay small: older turns are compacted past the limit. */
function boundedMessages(messages: Anthropic.Messages.MessageParam[]): Anthropic.Messages.MessageParam[] {
  if (Buffer.byteLength(JSON.stringify(messages)) <= MAX_SAVED_BYTES) return messages;
  return compactConversation(messages, { keepTokens: MAX_SAVED_BYTES / 8, estimate: estimateTokens, record: { editedFiles: [], actions: [] } });
}

function coAuthorOf(requester: { login: string; id: number } | undefined) {
  return requester ? { name: requester.login, email: `${requester.id}+${requester.login}@users.noreply.github.com` } : undefined;
}

function progressLine(step: StepRecord, meter: BudgetMeter): string {
  const spent = meter.snapshot();
  const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '→'} ${call.summary}`).join('; ') || 'replied';
  return `step ${step.index}/${meter.limits.maxSteps} · ${billedTokens(spent.usage).toLocaleString('en-US')} tokens · ${formatUsd(spent.costUsd)} · ${formatMinutes(spent.elapsedMs)} — ${actions}`;
}
