import type { BudgetLimits, BudgetName, BudgetSnapshot } from './budget.js';
import type { ModelSwitch, RunStatus, StepRecord } from './session.js';
import type { FileChange } from './fileChange.js';
import type { Task } from './task.js';
import { ZERO_USAGE } from './usage.js';
import type { GateRun, Verdict } from './verification.js';
import type { PlanResult } from './plan.js';
import type { DoctorRecord } from './doctor.js';

/** Where the work went, as far as publication got. */
export interface Publication {
  branch?: string;
  baseBranch?: string;
  commit?: string;
  prNumber?: number;
  prUrl?: string;
  draft?: boolean;
  /** Given when a PR could not be opened: a link that opens one in a click. */
  compareUrl?: string;
  /** What a maintainer should know: rejected pushes, a refused PR and the setting to change. */
  notes: string[];
}

/** Everything publication needs to know about a finished run, however it ended. */
/** Every way a run ends: the session's statuses, plus the two that end before any work. */
export type ReportStatus = RunStatus | 'skipped' | 'refused';

export interface RunReport {
  status: ReportStatus;
  reason: string;
  stoppedBy?: BudgetName;
  task?: Task;
  model?: string;
  /** Set when the run moved to `fallback_model`; `model` stays the input's model, `modelSwitch.to` finished the run. */
  modelSwitch?: ModelSwitch;
  limits?: BudgetLimits;
  spent: BudgetSnapshot;
  steps: StepRecord[];
  finalText: string;
  /** Files that differ from the base branch after the run, with line counts. */
  fileChanges: FileChange[];
  /** `skipped`: why the gate did not run its checks (the workspace was unchanged), when it did not. */
  verification: { verdict: Verdict; runs: GateRun[]; commands: string[]; skipped?: string };
  publication: Publication;
  runUrl?: string;
  transcriptPath?: string;
  /** plan mode: the work items found. */
  plan?: PlanResult;
  /** A paused session: what the person should reply. */
  awaiting?: string;
  /** A resumed session: the command a person approved or denied, and what came of it. */
  approval?: ApprovalRecord;
  /** Where the agent's commands ran, what they reached, and how the box ended. */
  box?: BoxRecord;
  /** The instruction files the model was given. */
  instructions?: InstructionsRecord;
  /** The agent changed nothing and replied: its reply is the run's comment on the thread; no branch, no PR. */
  answered?: boolean;
  /** A budget-exhausted session continued by a top-up (`continue`). */
  continuation?: ContinuationRecord;
  /** mode doctor: the checklist. */
  doctor?: DoctorRecord;
}

/** A top-up run, as the PR body, the summary and the comment say it. */
export interface ContinuationRecord {
  /** This run's number in the session (the first run is 1). */
  run: number;
  /** The amount the person gave (`continue $2`); absent when the inputs' per-run budget applied. */
  amountUsd?: number;
  /** This run's dollar cap: the amount (or max_cost_usd), within what max_total_cost_usd leaves. */
  capUsd: number;
  /** Dollars spent by the session's earlier runs. */
  spentBeforeUsd: number;
  maxTotalCostUsd: number;
  /** Who asked for it. */
  by: string;
}

/** The instructions a run followed, as the PR body and the summary list them. */
export interface InstructionsRecord {
  /** Where the repository's files were read from. */
  base?: { branch: string; commit: string };
  /** Root files, then the nested ones delivered during the session. */
  files: Array<{ path: string; nested: boolean; cut: boolean }>;
  /** Set when the `instructions` input was. */
  workflow?: { cut: boolean };
  /** Files cut or left out, or why none could be read. */
  notes: string[];
}

/** The agent's box, as the summary shows it. */
export interface BoxRecord {
  /** `user`: a user of its own in PID (and network) namespaces; `none`: the runner's user. */
  isolation: 'user' | 'none';
  /** The box's user for this run. */
  user?: string;
  network: 'allowlist' | 'open' | 'none';
  /** Whether `network` was enforced by the kernel (a network namespace) rather than only asked for. */
  enforced: boolean;
  /** Every host the agent's commands asked the proxy for, allowed or refused. */
  egress: Array<{ host: string; port: number; allowed: boolean; count: number }>;
  /** Processes the box killed because the agent left them running. */
  killed?: number;
  /** Processes still in the box after it was emptied: 0, or the box could not tell (-1). */
  left?: number;
  /** Entries the box's user left in the shared temporary directories: removed, and still there after that. */
  files?: { removed: number; left: number };
  /** Said once in the log and the summary: why there is no box, or what went wrong with it. */
  notice?: string;
}

/** A person's answer to `request_approval`, as the PR body and the summary show it. */
export interface ApprovalRecord {
  command: string;
  /** Login of the person who replied. */
  by: string;
  decision: 'approved' | 'denied';
  /** Whether the command ran: an approved command does, unless the run was already ending. */
  ran: boolean;
  exitCode: number | null;
  /** Why it did not simply succeed (timed out, killed, stopped), when it did not. */
  endNote?: string;
  /** The end of its output. */
  outputTail: string;
  /** A blocked_commands pattern the command also matches: it ran because a person approved it. */
  blockedBy?: string;
}

/** A report for a run that did no agent work (bad input, skipped, refused, plan mode). */
export function emptyReport(status: ReportStatus, reason: string, extra: Partial<RunReport> = {}): RunReport {
  return {
    status,
    reason,
    spent: { steps: 0, usage: ZERO_USAGE, tokens: 0, costUsd: 0, elapsedMs: 0 },
    steps: [],
    finalText: '',
    fileChanges: [],
    verification: { verdict: 'unverified', runs: [], commands: [] },
    publication: { notes: [] },
    ...extra,
  };
}
