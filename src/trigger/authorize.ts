import type { Octokit } from '../github/octokit.js';
import type { Actor } from './parseTrigger.js';
import { sameName } from './sameName.js';

export type Authorization = { allowed: true; via: string } | { allowed: false; reason: string };

const WRITERS = new Set(['admin', 'maintain', 'write']);

/**
 * Whether the person (or bot) who asked may hand work to the agent: write,
 * maintain or admin on the repository, or named in allowed_users; bots only
 * when named in allowed_bots; never for a fork's PR unless allow_forks.
 * Reasons name the rule, never anything about the repository's secrets.
 */
export async function authorize(opts: {
  octokit: Octokit;
  owner: string;
  repo: string;
  actor: Actor;
  allowedUsers: string[];
  allowedBots: string[];
  allowForks: boolean;
  isFork: boolean;
}): Promise<Authorization> {
  const { actor } = opts;
  const where = `${opts.owner}/${opts.repo}`;
  if (opts.isFork && !opts.allowForks) return { allowed: false, reason: `refused: the pull request comes from a fork, and allow_forks is off` };
  if (actor.type === 'Bot' || actor.login.endsWith('[bot]')) {
    return opts.allowedBots.some((login) => sameName(login, actor.login))
      ? { allowed: true, via: 'allowed_bots' }
      : { allowed: false, reason: `refused: @${actor.login} is a bot, and bots may only trigger runs when listed in allowed_bots` };
  }
  if (opts.allowedUsers.some((login) => sameName(login, actor.login))) return { allowed: true, via: 'allowed_users' };
  let permission = 'none';
  let role = 'none';
  try {
    const { data } = await opts.octokit.rest.repos.getCollaboratorPermissionLevel({ owner: opts.owner, repo: opts.repo, username: actor.login });
    permission = data.permission;
    role = data.role_name ?? permission;
  } catch (error) {
    if ((error as { status?: number }).status !== 404)
      throw new Error(`checking @${actor.login}'s permission on ${where} failed: ${(error as Error).message}`, { cause: error });
  }
  if (WRITERS.has(role) || WRITERS.has(permission)) return { allowed: true, via: `${WRITERS.has(role) ? role : permission} permission` };
  return {
    allowed: false,
    reason: `refused: @${actor.login} has ${role === 'none' ? 'no' : role} permission on ${where}; write, maintain or admin is needed (or add them to allowed_users)`,
  };
}
