import type { z } from 'zod';
import { writtenByUs } from '../text/markers.js';
import { asUntrustedBlock, sanitizeUntrusted } from './untrusted.js';
import { continueCommand, mentionsPhrase, stripPhrase, type ContinueCommand } from './phrase.js';
import { reviewLocation } from './reviewLocation.js';
import { issueCommentEvent, issuesEvent, reviewCommentEvent, reviewEvent, type user } from './payloads.js';
import { sameName } from './sameName.js';
import type { Task } from '../records/task.js';

export interface TriggerInputs {
  prompt: string;
  triggerPhrase: string;
  labelTrigger: string;
  assigneeTrigger: string;
  /** The agent's own login: its comments never trigger it. */
  botLogin: string;
}

export type Actor = { login: string; id: number; type: string };

export type TriggerDecision =
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; message: string }
  | {
      kind: 'run';
      task: Task;
      actor?: Actor;
      /** Where the progress comment and reactions go. */
      target?: { number: number; reaction: { kind: 'issue' | 'issue_comment' | 'review_comment'; id: number } };
      /** Only what was written before this moment is context. */
      triggeredAt?: string;
      /** A comment's request, phrase removed: the answer when it replies to a paused session. */
      reply?: string;
      isFork: boolean;
      /** An issue_comment on a PR carries no head branch: it is fetched before the run. */
      needsPullDetails: boolean;
      /** The text that asked, as written: the images attached to it are shown to the model. */
      body?: string;
      /** `continue` (a top-up of a session stopped at its budget), when the comment says it. */
      command?: ContinueCommand;
    };

/**
 * Turns the event into a task, or says in one line why this event does not
 * ask for one. Pure: no I/O, so every event and variant is tested directly.
 */
export function parseTrigger(opts: { eventName: string; payload: unknown; inputs: TriggerInputs }): TriggerDecision {
  const { eventName, payload, inputs } = opts;
  switch (eventName) {
    case 'issues':
      return fromIssueEvent(payload, inputs);
    case 'issue_comment':
      return fromIssueComment(payload, inputs);
    case 'pull_request_review_comment':
      return fromReviewComment(payload, inputs);
    case 'pull_request_review':
      return fromReview(payload, inputs);
    default:
      if (inputs.prompt === '')
        return { kind: 'error', message: `prompt must be set for a ${eventName || 'local'} run: the event carries no issue or comment to work on` };
      return { kind: 'run', task: promptTask(inputs.prompt, eventName), isFork: false, needsPullDetails: false };
  }
}

function fromIssueEvent(payload: unknown, inputs: TriggerInputs): TriggerDecision {
  const event = parse(issuesEvent, payload, 'issues');
  if ('kind' in event) return event;
  const { issue } = event;
  const asked =
    (event.action === 'opened' && mentionsPhrase(issue.body ?? '', inputs.triggerPhrase)) ||
    (event.action === 'labeled' && inputs.labelTrigger !== '' && sameName(event.label?.name, inputs.labelTrigger)) ||
    (event.action === 'assigned' && inputs.assigneeTrigger !== '' && sameName(event.assignee?.login, inputs.assigneeTrigger));
  if (!asked) return { kind: 'skip', reason: `skipped: issues.${event.action} on #${issue.number} does not ask for the agent` };
  // The issue's text is the request when its author asked; when someone else labelled or
  // assigned it, that person's request is the issue, and its text is context from the author.
  const byAuthor = sameName(issue.user?.login, event.sender.login);
  const body = stripPhrase(sanitizeUntrusted(issue.body ?? ''), inputs.triggerPhrase);
  const request = byAuthor
    ? `${issue.title}\n\n${body}`.trim()
    : `Resolve issue #${issue.number}: ${issue.title}\n\nContext:\n${asUntrustedBlock(`issue #${issue.number}`, issue.user?.login ?? 'unknown', issue.body ?? '')}`;
  return {
    kind: 'run',
    task: {
      title: issue.title,
      instruction: request,
      source: { kind: 'issue', event: 'issues', number: issue.number, url: issue.html_url },
      requester: actorOf(event.sender),
    },
    actor: event.sender,
    target: { number: issue.number, reaction: { kind: 'issue', id: issue.number } },
    isFork: false,
    needsPullDetails: false,
    body: issue.body ?? '',
  };
}

function fromIssueComment(payload: unknown, inputs: TriggerInputs): TriggerDecision {
  const event = parse(issueCommentEvent, payload, 'issue_comment');
  if ('kind' in event) return event;
  const { issue, comment } = event;
  const skip = commentSkip(event.action, comment.body ?? '', comment.user, inputs, 'issue_comment');
  if (skip) return skip;
  const request = stripPhrase(sanitizeUntrusted(comment.body ?? ''), inputs.triggerPhrase);
  const onPull = issue.pull_request !== undefined;
  const context = asUntrustedBlock(
    `${onPull ? 'pull request' : 'issue'} #${issue.number}`,
    issue.user?.login ?? 'unknown',
    `${issue.title}\n\n${issue.body ?? ''}`,
  );
  return {
    kind: 'run',
    task: {
      title: onPull ? `${issue.title} (follow-up)` : issue.title,
      instruction: `${request || `Work on ${onPull ? 'pull request' : 'issue'} #${issue.number}.`}\n\nContext:\n${context}`,
      source: onPull
        ? { kind: 'pull', event: 'issue_comment', number: issue.number, url: issue.html_url, headBranch: '', baseBranch: '', headRepoFullName: '' }
        : { kind: 'issue', event: 'issue_comment', number: issue.number, url: issue.html_url },
      requester: actorOf(comment.user),
    },
    actor: comment.user,
    target: { number: issue.number, reaction: { kind: 'issue_comment', id: comment.id } },
    triggeredAt: comment.created_at,
    reply: request,
    isFork: false,
    needsPullDetails: onPull,
    body: comment.body ?? '',
    command: continueCommand(sanitizeUntrusted(comment.body ?? ''), inputs.triggerPhrase),
  };
}

function fromReviewComment(payload: unknown, inputs: TriggerInputs): TriggerDecision {
  const event = parse(reviewCommentEvent, payload, 'pull_request_review_comment');
  if ('kind' in event) return event;
  const { pull_request: pr, comment } = event;
  const skip = commentSkip(event.action, comment.body ?? '', comment.user, inputs, 'pull_request_review_comment');
  if (skip) return skip;
  return pullRun(
    pr,
    stripPhrase(sanitizeUntrusted(comment.body ?? ''), inputs.triggerPhrase),
    comment.user,
    'pull_request_review_comment',
    { kind: 'review_comment', id: comment.id },
    comment.created_at,
    {
      body: comment.body ?? '',
      command: continueCommand(sanitizeUntrusted(comment.body ?? ''), inputs.triggerPhrase),
      ...reviewLocation(comment, comment.user.login),
    },
  );
}

function fromReview(payload: unknown, inputs: TriggerInputs): TriggerDecision {
  const event = parse(reviewEvent, payload, 'pull_request_review');
  if ('kind' in event) return event;
  const { pull_request: pr, review } = event;
  if (event.action !== 'submitted') return { kind: 'skip', reason: `skipped: pull_request_review was ${event.action}, not submitted` };
  const skip = commentSkip('created', review.body ?? '', review.user, inputs, 'pull_request_review');
  if (skip) return skip;
  return pullRun(
    pr,
    stripPhrase(sanitizeUntrusted(review.body ?? ''), inputs.triggerPhrase),
    review.user,
    'pull_request_review',
    { kind: 'issue', id: pr.number },
    review.submitted_at ?? undefined,
    { body: review.body ?? '', command: continueCommand(sanitizeUntrusted(review.body ?? ''), inputs.triggerPhrase) },
  );
}

function pullRun(
  pr: z.infer<typeof reviewEvent>['pull_request'],
  request: string,
  author: z.infer<typeof user>,
  eventName: string,
  reaction: { kind: 'issue' | 'review_comment'; id: number },
  triggeredAt: string | undefined,
  asked: { body: string; where?: string; hunk?: string; command?: ContinueCommand },
): TriggerDecision {
  const headRepo = pr.head.repo?.full_name ?? '';
  const context = asUntrustedBlock(`pull request #${pr.number}`, pr.user?.login ?? 'unknown', `${pr.title}\n\n${pr.body ?? ''}`);
  const where = asked.where ? `\n\n${asked.where}` : '';
  return {
    kind: 'run',
    task: {
      title: `${pr.title} (follow-up)`,
      instruction: `${request || `Continue pull request #${pr.number}.`}${where}\n\nContext:\n${context}`,
      context: asked.hunk,
      source: {
        kind: 'pull',
        event: eventName,
        number: pr.number,
        url: pr.html_url,
        headBranch: pr.head.ref,
        baseBranch: pr.base.ref,
        headRepoFullName: headRepo,
      },
      requester: actorOf(author),
    },
    actor: author,
    target: { number: pr.number, reaction },
    triggeredAt,
    reply: request,
    isFork: headRepo !== pr.base.repo.full_name,
    needsPullDetails: false,
    body: asked.body,
    command: asked.command,
  };
}

function commentSkip(action: string, body: string, author: z.infer<typeof user>, inputs: TriggerInputs, eventName: string): TriggerDecision | undefined {
  if (action === 'deleted') return { kind: 'skip', reason: `skipped: ${eventName} was deleted (a deleted comment never starts a run)` };
  if (action !== 'created') return { kind: 'skip', reason: `skipped: ${eventName} was ${action}, not created (edits of old comments never start a run)` };
  if (sameName(author.login, inputs.botLogin) || writtenByUs(body)) return { kind: 'skip', reason: `skipped: ${eventName} was written by the agent itself` };
  if (!mentionsPhrase(body, inputs.triggerPhrase)) return { kind: 'skip', reason: `skipped: ${eventName} does not mention ${inputs.triggerPhrase}` };
  return undefined;
}

function promptTask(prompt: string, eventName: string): Task {
  const line = prompt.trim().split('\n')[0] ?? '';
  return { title: line.length > 72 ? `${line.slice(0, 71)}…` : line, instruction: prompt, source: { kind: 'prompt', event: eventName } };
}

function actorOf(author: z.infer<typeof user>): { login: string; id: number } {
  return { login: author.login, id: author.id };
}

function parse<Schema extends z.ZodType>(schema: Schema, payload: unknown, eventName: string): z.infer<Schema> | { kind: 'error'; message: string } {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  return {
    kind: 'error',
    message: `the ${eventName} event payload is not what GitHub sends: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid'}`,
  };
}
