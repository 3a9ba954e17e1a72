import { z } from 'zod';
import type { GitHubTarget } from '../github/target.js';
import { readPayload } from '../trigger/readPayload.js';

const pullPayload = z.object({ pull_request: z.object({ number: z.number(), base: z.object({ ref: z.string().min(1) }) }) });
const pullAnswer = z.object({ base: z.object({ ref: z.string().min(1) }) });

/**
 * The branch a pull request targets. Review events carry it in their payload;
 * an issue comment on a PR does not, so the PR is asked for (one GET). Read
 * here rather than carried on the task: the trigger's records name only the
 * head, and its files belong to another part of the run.
 */
export async function pullRequestBase(opts: { number: number; eventPath?: string; github?: GitHubTarget }): Promise<string | undefined> {
  const payload = pullPayload.safeParse(await readPayload(opts.eventPath).catch(() => undefined));
  if (payload.success && payload.data.pull_request.number === opts.number) return payload.data.pull_request.base.ref;
  if (!opts.github) return undefined;
  const { octokit, owner, repo } = opts.github;
  const answer = await octokit.rest.pulls.get({ owner, repo, pull_number: opts.number }).catch(() => undefined);
  const parsed = pullAnswer.safeParse(answer?.data);
  return parsed.success ? parsed.data.base.ref : undefined;
}
