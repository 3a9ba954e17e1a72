import { realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
// Logs through one door that redacts and makes model and issue text inert (no workflow commands).
import * as core from './outbound/log.js';
import { Outbound } from './outbound/outbound.js';
import { readConfig } from './config/readConfig.js';
import type { Config, InputName } from './config/schema.js';
import { createOctokit } from './github/octokit.js';
import { redactRequests } from './github/redactRequests.js';
import type { GitHubTarget } from './github/target.js';
import { planWork } from './plan/workItems.js';
import { runDoctor } from './doctor/runDoctor.js';
import { emptyReport, type RunReport } from './records/report.js';
import { writeOutputs } from './report/outputs.js';
import { writeSummary } from './report/summary.js';
import { unsupportedRunner } from './runner/supportedRunner.js';
import { errorMessage } from './text/errorMessage.js';
import { runContext, type RunContext } from './trigger/runContext.js';
import { enterRun } from './run/enterRun.js';
import { publishRun } from './run/publishRun.js';
import { runSession } from './run/runSession.js';
import { accessSecrets } from './model/access.js';

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

/** The stages in order; each returns what the next needs, or the report of a run that ends there. */
async function work(opts: RunOptions, out: Outbound, cleanups: Array<() => Promise<void>>): Promise<RunReport> {
  const { env } = opts;
  const unsupported = unsupportedRunner(env);
  if (unsupported) return emptyReport('failed', unsupported);
  const config = readConfig(env, opts.overrides);
  const context = runContext(env, tmpdir());
  const github = await connectGitHub(config, context, out);
  if (config.mode === 'plan') return plan(config, context, github, env);
  if (config.mode === 'doctor') {
    // Error messages the APIs send back can quote what was sent; the credentials are known before anything is said.
    out.know([config.apiKey, config.githubToken, ...accessSecrets(config, env)]);
    return runDoctor({ config, env, context, github });
  }

  const entered = await enterRun({ env, config, context, github, out, cancel: opts.cancel, push: opts.push ?? true, cleanups });
  if ('report' in entered) return entered.report;
  const done = await runSession(entered);
  return publishRun(entered, done);
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
    octokit: github?.octokit,
    owner: context.owner,
    repo: context.repo,
    label: config.plan.label,
    tasksFile: config.plan.tasksFile,
    workspace: await realpath(env.GITHUB_WORKSPACE ?? process.cwd()),
    branchPrefix: config.branchPrefix,
    maxItems: config.plan.maxItems,
  });
  const left = result.skipped.length > 0 ? `; ${result.skipped.length} left out because an open pull request already carries them` : '';
  return emptyReport('completed', `planned ${result.items.length} work item${result.items.length === 1 ? '' : 's'}${left}`, {
    runUrl: context.runUrl,
    plan: result,
  });
}

function announce(report: RunReport): void {
  const line = `Nightshift ${report.status}: ${report.reason}`;
  if (report.status === 'failed' || report.status === 'cancelled' || report.status === 'stuck' || report.status === 'declined') core.setFailed(line);
  else if (report.status === 'budget-exhausted') core.warning(line);
  else core.info(line);
}
