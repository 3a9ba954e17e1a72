import { openPullRequest } from '../publish/openPullRequest.js';
import { pushWork } from '../publish/pushWork.js';
import { ciNote, commitSigner } from '../publish/signing.js';
import type { RunReport } from '../records/report.js';
import { renderIssueComment } from '../report/issueComment.js';
import { closeSession } from '../session/closeSession.js';
import { STATUS_LABEL } from '../text/format.js';
import type { EnteredRun } from './scope.js';
import type { SessionRun } from './runSession.js';

/**
 * Result → publication: one commit from the clean room and the push, the
 * session saved when it paused, the pull request (every note collected
 * before it, so all of them reach its body), and the progress comment's last word.
 */
export async function publishRun(run: EnteredRun, done: SessionRun): Promise<RunReport> {
  const { config, context, opened, branch, out } = run;
  const publisher = run.publisher ?? run.github;
  const signing = await commitSigner({ mode: config.signCommits, github: publisher, branch: branch.branch, push: run.push, rules: run.workRules });
  const pushed = await pushWork(sessionReport(run, done, signing.notes), {
    room: run.workspace.room,
    work: branch,
    author: config.commitAuthor,
    coAuthor: coAuthorOf(opened.task.requester),
    push: run.push,
    isProtected: done.agent.isProtected,
    findSecret: out.findSecret,
    redact: out.text,
    runId: context.runId,
    outDir: context.tempDir,
    signer: signing.signer,
  });
  const closed = await closeSession({
    session: opened,
    result: done.session,
    branch: pushed.publication.branch ?? branch.branch,
    room: run.workspace.room,
    phrase: config.trigger.phrase,
    maxTotalCostUsd: config.maxTotalCostUsd,
    blockedCommands: done.agent.blockedCommands,
    redact: out.text,
    findSecret: out.findSecret,
  });
  const { progress } = done;
  const progressNotes = progress.notes.length;
  const ci = run.push && pushed.publication.branch && publisher ? ciNote({ token: config.githubToken, usesApp: run.publisher !== undefined }) : undefined;
  const notes = [...pushed.publication.notes, ...closed.notes, ...progress.notes, ...(ci ? [ci] : [])];
  const source = opened.task.source;
  const report = await openPullRequest(
    { ...pushed, awaiting: closed.awaiting, publication: { ...pushed.publication, notes } },
    {
      github: publisher,
      push: run.push,
      baseBranch: branch.baseBranch,
      existingPull: source.kind === 'pull' ? { number: source.number, url: source.url } : undefined,
      labels: config.labels,
      reviewers: config.reviewers,
      outDir: context.tempDir,
      redact: out.text,
    },
  );
  await progress.finish(STATUS_LABEL[report.status] ?? report.status, renderIssueComment(report), report.publication.prUrl);
  // What went wrong updating the comment after the PR was opened reaches the summary, not the PR body.
  return { ...report, publication: { ...report.publication, notes: [...report.publication.notes, ...progress.notes.slice(progressNotes)] } };
}

/** The session's result as a report, before anything is published. */
function sessionReport(run: EnteredRun, done: SessionRun, notes: string[]): RunReport {
  const { session, agent } = done;
  const { config } = run;
  return {
    status: session.status,
    reason: session.reason,
    stoppedBy: session.stoppedBy,
    task: run.opened.task,
    model: config.model,
    modelSwitch: session.modelSwitch,
    limits: run.opened.topUp ? run.meter.limits : config.budget,
    spent: session.spent,
    steps: session.steps,
    finalText: session.finalText,
    fileChanges: [],
    verification: { verdict: agent.gate.verdict, runs: agent.gate.runs, commands: config.verify, skipped: agent.gate.skipped },
    publication: { notes: [...run.opened.notices, ...notes] },
    runUrl: run.context.runUrl,
    transcriptPath: agent.transcript.path,
    approval: done.approval,
    box: done.box,
    instructions: agent.instructions(),
    continuation: continuationOf(run),
  };
}

/** A top-up run's record: its number in the session, the amount, its dollar cap and what the session spent before it. */
function continuationOf(run: EnteredRun): RunReport['continuation'] {
  const { opened, config } = run;
  if (!opened.topUp || !opened.resumed) return undefined;
  return {
    run: opened.resumed.runs + 1,
    amountUsd: opened.topUp.amountUsd,
    capUsd: run.meter.limits.maxCostUsd,
    spentBeforeUsd: opened.spentBefore,
    maxTotalCostUsd: config.maxTotalCostUsd,
    by: opened.topUp.by,
  };
}

function coAuthorOf(requester: { login: string; id: number } | undefined) {
  return requester ? { name: requester.login, email: `${requester.id}+${requester.login}@users.noreply.github.com` } : undefined;
}
