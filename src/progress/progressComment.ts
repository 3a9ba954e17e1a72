import type { Octokit } from '../github/octokit.js';
import { PROGRESS_MARKER } from '../text/markers.js';
import { renderProgress, type ProgressState } from './renderProgress.js';

/**
 * The one comment a run keeps editing on the issue or PR that asked: an 👀
 * reaction at once, then status, steps, time and spend as the run goes — at
 * most every `minIntervalMs`, but at once when the status changes. A failing
 * GitHub call here is logged and forgotten: progress never fails a run.
 */
export class ProgressComment {
  private commentId?: number;
  private lastWrite = 0;
  private lastStatus = '';
  /** Set when an update failed: updates stop until the final write. */
  private broken = false;
  /** Writes go out one after another, so a slow update can never land after the final state. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly opts: {
      octokit: Octokit;
      owner: string;
      repo: string;
      issueNumber: number;
      reaction?: { kind: 'issue' | 'issue_comment' | 'review_comment'; id: number };
      minIntervalMs?: number;
      log: (line: string) => void;
    },
  ) {}

  /**
   * Reacts to the request, reuses the progress comment of an earlier run on
   * the same thread, and writes the first state — queued, not awaited: the
   * person waits on the model, not on these writes (which the throttling
   * plugin spaces out). Every later write, `finish` included, goes after
   * them. The promise is for a caller that does want to wait.
   */
  start(state: ProgressState): Promise<void> {
    this.lastWrite = Date.now();
    this.lastStatus = state.status;
    this.queue = this.queue.then(async () => {
      await this.react();
      await this.findEarlierComment();
      await this.send(state, 0);
    });
    return this.queue;
  }

  private async react(): Promise<void> {
    const { octokit, owner, repo, reaction } = this.opts;
    if (!reaction) return;
    // The reaction says "seen" at once; it is not worth a retry.
    await this.quietly('add the 👀 reaction', () =>
      reaction.kind === 'issue_comment'
        ? octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: reaction.id, content: 'eyes' })
        : reaction.kind === 'review_comment'
          ? octokit.rest.reactions.createForPullRequestReviewComment({ owner, repo, comment_id: reaction.id, content: 'eyes' })
          : octokit.rest.reactions.createForIssue({ owner, repo, issue_number: reaction.id, content: 'eyes' }),
    );
  }

  private async findEarlierComment(): Promise<void> {
    const { octokit, owner, repo } = this.opts;
    await this.quietly('find an earlier progress comment', async () => {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: this.opts.issueNumber, per_page: 100 });
      this.commentId = comments.reverse().find((comment) => (comment.body ?? '').startsWith(PROGRESS_MARKER))?.id;
    });
  }

  /**
   * Writes the latest state if the status changed or enough time has passed.
   * Progress is best effort: these writes are not retried, and after one
   * fails they stop until `finish`, so a broken API never slows the run.
   */
  async update(state: ProgressState): Promise<void> {
    const due = Date.now() - this.lastWrite >= (this.opts.minIntervalMs ?? 10_000);
    if (state.status !== this.lastStatus || due) await this.write(state, 0);
  }

  async finish(state: ProgressState): Promise<void> {
    await this.write(state);
  }

  private write(state: ProgressState, retries?: number): Promise<void> {
    this.lastWrite = Date.now();
    this.lastStatus = state.status;
    // Whether an earlier write broke is known only once it has run, so it is asked in the queue; the final write goes regardless.
    this.queue = this.queue.then(() => (this.broken && retries === 0 ? undefined : this.send(state, retries)));
    return this.queue;
  }

  private async send(state: ProgressState, retries?: number): Promise<void> {
    const body = renderProgress(state);
    const { octokit, owner, repo } = this.opts;
    const request = retries === undefined ? {} : { request: { retries } };
    const ok = await this.quietly('update the progress comment', async () => {
      if (this.commentId !== undefined) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: this.commentId, body, ...request });
      } else {
        const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: this.opts.issueNumber, body, ...request });
        this.commentId = data.id;
      }
    });
    if (!ok) this.broken = true;
  }

  private async quietly(what: string, action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.opts.log(`could not ${what} on #${this.opts.issueNumber}: ${(error as Error).message}`);
      return false;
    }
  }
}
