import type { BudgetName, BudgetSnapshot } from './agent/budget.js';
import type { RunStatus, StepRecord } from './agent/types.js';
import type { BudgetLimits } from './config/schema.js';
import type { Task } from './trigger/task.js';

/** Everything publication needs to know about a finished run, however it ended. */
export interface RunReport {
  status: RunStatus;
  reason: string;
  stoppedBy?: BudgetName;
  task?: Task;
  model?: string;
  limits?: BudgetLimits;
  spent: BudgetSnapshot;
  steps: StepRecord[];
  finalText: string;
  changedFiles: string[];
}
