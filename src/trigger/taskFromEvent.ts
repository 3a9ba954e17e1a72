import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Task } from './task.js';

/** The part of an `issues`/`issue_comment` payload a task is made from (typed in full by @octokit/webhooks-types). */
const senderPayload = z.object({ sender: z.object({ login: z.string(), id: z.number().int() }) });

const issuePayload = z.object({
  issue: z.object({
    number: z.number().int().positive(),
    title: z.string(),
    body: z.string().nullable().optional(),
    html_url: z.string(),
  }),
});

export class TaskError extends Error {
  override name = 'TaskError';
}

/**
 * Turns the run's trigger into a task. The `prompt` input wins when given;
 * otherwise an issue in the event payload is the task.
 */
export async function taskFromEvent(opts: { eventName: string; eventPath?: string; prompt: string }): Promise<Task> {
  const payload = opts.eventPath ? await readPayload(opts.eventPath) : undefined;
  const sender = senderPayload.safeParse(payload);
  const requester = sender.success ? sender.data.sender : undefined;
  if (opts.prompt !== '') {
    return { title: firstLine(opts.prompt), instruction: opts.prompt, source: { kind: 'prompt', event: opts.eventName }, requester };
  }
  const parsed = issuePayload.safeParse(payload);
  if (!parsed.success) {
    throw new TaskError(
      `prompt must be set for a ${opts.eventName || 'local'} run: the event carries no issue to work on, and the prompt input is empty`,
    );
  }
  const { issue } = parsed.data;
  return {
    title: issue.title,
    instruction: `${issue.title}\n\n${issue.body ?? ''}`.trim(),
    source: { kind: 'issue', event: opts.eventName, number: issue.number, url: issue.html_url },
    requester,
  };
}

async function readPayload(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TaskError(`cannot read the event payload at GITHUB_EVENT_PATH=${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new TaskError(`the event payload at GITHUB_EVENT_PATH=${path} is not valid JSON`);
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}
