import { realpath } from 'node:fs/promises';
import * as core from '@actions/core';
import { BudgetMeter, formatMinutes } from './agent/budget.js';
import { runAgent } from './agent/loop.js';
import { systemPrompt, taskMessage } from './agent/prompt.js';
import type { StepRecord } from './agent/types.js';
import { readConfig } from './config/readConfig.js';
import type { InputName } from './config/schema.js';
import { scrubbedEnv } from './exec/scrubbedEnv.js';
import { createModelClient } from './model/client.js';
import { priceForModel } from './model/pricing.js';
import { billedTokens, ZERO_USAGE } from './model/usage.js';
import { changedFiles } from './publish/changedFiles.js';
import { formatUsd } from './publish/format.js';
import { writeOutputs } from './publish/outputs.js';
import { writeSummary } from './publish/summary.js';
import type { RunReport } from './report.js';
import { createToolbox, supportsAnthropicToolTypes } from './tools/toolbox.js';
import { taskFromEvent } from './trigger/taskFromEvent.js';

/** Bytes of one command's output the model gets back, head and tail kept. */
const MAX_TOOL_OUTPUT_BYTES = 30_000;

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: the run stops at the next safe point and still reports. */
  cancel: AbortSignal;
  /** Inputs given by the local entry or the demo instead of INPUT_* variables. */
  overrides?: Partial<Record<InputName, string>>;
}

/**
 * The whole run: inputs → task → agent session → report → publication.
 * This is the one place that decides the run's status; every error ends here.
 */
export async function run(opts: RunOptions): Promise<RunReport> {
  const startedAt = Date.now();
  let report: RunReport;
  try {
    report = await work(opts);
  } catch (error) {
    report = {
      status: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      spent: { steps: 0, usage: ZERO_USAGE, tokens: 0, costUsd: 0, elapsedMs: Date.now() - startedAt },
      steps: [],
      finalText: '',
      changedFiles: [],
    };
  }
  writeOutputs(report);
  await writeSummary(report);
  const line = `Nightshift ${report.status}: ${report.reason}`;
  if (report.status === 'failed' || report.status === 'cancelled') core.setFailed(line);
  else if (report.status === 'budget-exhausted') core.warning(line);
  else core.info(line);
  return report;
}

async function work(opts: RunOptions): Promise<RunReport> {
  const { env } = opts;
  const config = readConfig(env, opts.overrides);
  const price = priceForModel(config.model, config.priceOverride);
  const task = await taskFromEvent({ eventName: env.GITHUB_EVENT_NAME ?? '', eventPath: env.GITHUB_EVENT_PATH, prompt: config.prompt });
  const workspace = await realpath(env.GITHUB_WORKSPACE ?? process.cwd());
  const childEnv = scrubbedEnv(env);

  const meter = new BudgetMeter(config.budget, price);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(0, meter.agentDeadline - Date.now()));
  const signal = AbortSignal.any([deadline.signal, opts.cancel]);
  const toolbox = createToolbox(
    { workspace, env: childEnv, commandTimeoutMs: config.commandTimeoutMs, maxOutputBytes: MAX_TOOL_OUTPUT_BYTES, checks: config.verify, signal },
    { anthropicToolTypes: supportsAnthropicToolTypes(config.model) },
  );
  core.info(`Nightshift: ${task.title}`);
  core.info(`model ${config.model}; ${meter.describeRemaining()}`);
  try {
    const session = await runAgent({
      client: createModelClient({ apiKey: config.apiKey, baseUrl: config.baseUrl }),
      model: config.model,
      system: systemPrompt({ checks: config.verify }),
      task: taskMessage(task.instruction),
      toolbox,
      meter,
      maxOutputTokens: config.maxOutputTokens,
      deadline: deadline.signal,
      cancel: opts.cancel,
      onStep: (step) => core.info(progressLine(step, meter)),
    });
    return {
      status: session.status,
      reason: session.reason,
      stoppedBy: session.stoppedBy,
      task,
      model: config.model,
      limits: config.budget,
      spent: session.spent,
      steps: session.steps,
      finalText: session.finalText,
      changedFiles: await changedFiles({ workspace, env: childEnv }),
    };
  } finally {
    clearTimeout(timer);
  }
}

function progressLine(step: StepRecord, meter: BudgetMeter): string {
  const spent = meter.snapshot();
  const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '→'} ${call.summary}`).join('; ') || 'replied';
  return `step ${step.index}/${meter.limits.maxSteps} · ${billedTokens(spent.usage).toLocaleString('en-US')} tokens · ${formatUsd(spent.costUsd)} · ${formatMinutes(spent.elapsedMs)} — ${actions}`;
}
