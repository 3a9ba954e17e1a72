/** What the agent is asked to do, whatever started the run. */
export interface Task {
  /** Short, one line: the pull request title and the summary heading. */
  title: string;
  /** The full instruction the model reads. */
  instruction: string;
  source: TaskSource;
  /** Who asked, credited as co-author of the commits. */
  requester?: { login: string; id: number };
}

export type TaskSource =
  | { kind: 'prompt'; event: string }
  | { kind: 'issue'; event: string; number: number; url: string }
  /** A request on a pull request: the work continues on its head branch. */
  | { kind: 'pull'; event: string; number: number; url: string; headBranch: string; headRepoFullName: string };
