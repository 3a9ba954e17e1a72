/** What the agent is asked to do, whatever started the run. */
export interface Task {
  /** Short, one line: the pull request title and the summary heading. */
  title: string;
  /** The full instruction the model reads. */
  instruction: string;
  /**
   * What the model reads after the instruction and people need not see again
   * in the PR body or the summary: the lines a review comment is about, the
   * pull request's changed files.
   */
  context?: string;
  /** Images attached to the request, fetched and checked: sent beside the task in the first message. */
  images?: TaskImage[];
  source: TaskSource;
  /** Who asked, credited as co-author of the commits. */
  requester?: { login: string; id: number };
}

/** One attached image, as the Messages API takes it (base64 of bytes whose type was read from the bytes). */
export interface TaskImage {
  url: string;
  mediaType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  base64: string;
}

export type TaskSource =
  | { kind: 'prompt'; event: string }
  | { kind: 'issue'; event: string; number: number; url: string }
  /** A request on a pull request: the work continues on its head branch. */
  /** baseBranch is the branch the PR targets: its diff is measured against it and its instructions come from it. */
  | { kind: 'pull'; event: string; number: number; url: string; headBranch: string; baseBranch: string; headRepoFullName: string };
