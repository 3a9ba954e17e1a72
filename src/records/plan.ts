/** One unit of maintenance work: one matrix job, one agent, one branch and PR. */
export interface WorkItem {
  /** Stable across runs, so a scheduled task keeps its branch and PR: `<prefix><key>`. */
  key: string;
  title: string;
  /** The task for a tasks-file line; empty for an issue, which is fetched by number. */
  prompt: string;
  issue_number: number | null;
}

export interface PlanResult {
  items: WorkItem[];
  /** Items left out because an open PR already carries them. */
  skipped: Array<{ key: string; pr: string }>;
}
