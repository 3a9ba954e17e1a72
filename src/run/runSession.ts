import { formatMinutes, type BudgetMeter } from '../agent/budget.js';
import { setUpAgent, type AgentSetup } from '../agent/setUpAgent.js';
import { transcriptPath } from '../agent/transcriptName.js';
import { instructionsForRun } from '../instructions/forRun.js';
import { billedTokens } from '../model/usage.js';
import * as core from '../outbound/log.js';
import { RunProgress } from '../progress/runProgress.js';
import { workspaceUnchanged } from '../publish/unchanged.js';
import type { BoxRecord, RunReport } from '../records/report.js';
import type { SessionResult, StepRecord } from '../records/session.js';
import { answerOpenSession } from '../session/openSession.js';
import { formatUsd } from '../text/format.js';
import type { EnteredRun } from './scope.js';

export interface SessionRun {
  agent: AgentSetup;
  session: SessionResult;
  box: BoxRecord;
  approval: RunReport['approval'];
  progress: RunProgress;
}

/**
 * The session: the agent set up (box, tools, gate, transcript), an approved
 * command run through the toolbox when a session resumes, the progress
 * comment started beside the first model request (never before it), the loop
 * until it ends, and the box closed before the work is read.
 */
export async function runSession(run: EnteredRun): Promise<SessionRun> {
  const { config, context, env, opened, meter, out } = run;
  const instructions = await instructionsForRun({
    room: run.workspace.room,
    work: run.branch,
    source: opened.task.source,
    workflow: config.instructions,
  });
  const agent = await setUpAgent({
    instructions,
    config,
    access: run.access,
    env,
    workspace: run.workspace.path,
    serverUrl: context.serverUrl,
    meter,
    secrets: out.secrets,
    redact: out.text,
    transcriptPath: transcriptPath(context.tempDir, {
      runId: context.runId,
      job: env.GITHUB_JOB,
      jobIndex: env.NIGHTSHIFT_JOB_INDEX,
      attempt: env.GITHUB_RUN_ATTEMPT,
    }),
    canPause: run.github !== undefined && opened.thread !== undefined,
    cancel: run.cancel,
    log: core,
    cleanups: run.cleanups,
    workspaceUnchanged: () => workspaceUnchanged(run.workspace.room, run.branch.start),
  });
  const { resume, approval } = await answerOpenSession(opened, run.resolution.reply, agent.toolbox);
  const reaction = run.resolution.target?.reaction;
  const progress = new RunProgress({ github: run.github, threadNumber: opened.thread, reaction, meter, runUrl: context.runUrl, log: core.warning });
  // The reaction and the first comment go out while the model starts; the final update waits for them.
  void progress.start();
  const onStep = (step: StepRecord) => {
    core.info(progressLine(step, meter));
    progress.step(step);
  };
  const session = await agent.run({ task: opened.task, resume, onStep });
  const box = await agent.close(session);
  if (box.notice) core.warning(box.notice);
  return { agent, session, box, approval, progress };
}

function progressLine(step: StepRecord, meter: BudgetMeter): string {
  const spent = meter.snapshot();
  const actions = step.toolCalls.map((call) => `${call.isError ? '✘' : '→'} ${call.summary}`).join('; ') || 'replied';
  const tokens = billedTokens(spent.usage).toLocaleString('en-US');
  return `step ${step.index}/${meter.limits.maxSteps} · ${tokens} tokens · ${formatUsd(spent.costUsd)} · ${formatMinutes(spent.elapsedMs)} — ${actions}`;
}
