import { z } from 'zod';

/**
 * The fields of GitHub webhook payloads a trigger reads (the full shapes are
 * @octokit/webhooks-types' IssuesEvent, IssueCommentEvent,
 * PullRequestReviewCommentEvent, PullRequestReviewEvent). Validated here
 * because the payload is outside data.
 */
export const user = z.object({ login: z.string(), id: z.number().int(), type: z.string().default('User') });

export const issue = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().default(''),
  html_url: z.string(),
  user: user.nullable().optional(),
  pull_request: z.object({ url: z.string().optional() }).passthrough().optional(),
});

export const comment = z.object({
  id: z.number().int(),
  body: z.string().nullable().default(''),
  user: user,
  created_at: z.string(),
  html_url: z.string().optional(),
});

export const pullRequest = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable().default(''),
  html_url: z.string(),
  user: user.nullable().optional(),
  head: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ ref: z.string(), repo: z.object({ full_name: z.string() }) }),
});

export const issuesEvent = z.object({
  action: z.string(),
  issue,
  label: z.object({ name: z.string() }).optional(),
  assignee: user.nullable().optional(),
  sender: user,
});

export const issueCommentEvent = z.object({ action: z.string(), issue, comment, sender: user });

const side = z.enum(['LEFT', 'RIGHT']);

/** A review comment also says where it points: the file, the line range, the side, the diff hunk (PullRequestReviewComment). */
export const reviewComment = comment.extend({
  path: z.string(),
  line: z.number().int().nullable().optional(),
  start_line: z.number().int().nullable().optional(),
  side: side.nullable().optional(),
  start_side: side.nullable().optional(),
  original_line: z.number().int().nullable().optional(),
  original_start_line: z.number().int().nullable().optional(),
  subject_type: z.enum(['line', 'file']).nullable().optional(),
  diff_hunk: z.string().nullable().optional(),
});

export const reviewCommentEvent = z.object({ action: z.string(), pull_request: pullRequest, comment: reviewComment, sender: user });

export const reviewEvent = z.object({
  action: z.string(),
  pull_request: pullRequest,
  review: z.object({ id: z.number().int(), body: z.string().nullable().default(''), user, submitted_at: z.string().nullable().optional() }),
  sender: user,
});
