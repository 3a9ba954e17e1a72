import type { Config } from '../config/schema.js';
import { mintAppToken } from '../github/appToken.js';
import { createOctokit } from '../github/octokit.js';
import { redactRequests } from '../github/redactRequests.js';
import type { GitHubTarget } from '../github/target.js';
import type { Workspace } from '../git/openWorkspace.js';
import { withPushToken } from '../git/cleanRoom.js';
import * as core from '../outbound/log.js';
import type { RunScope } from './scope.js';

/** The app's private key as secrets: the whole key, and every line of its body (a partial print). */
export function appKeySecrets(config: Config): string[] {
  if (!config.app) return [];
  const { privateKey } = config.app;
  return [privateKey, ...privateKey.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))];
}

/**
 * With app_id and app_private_key, the GitHub App's installation token for
 * this repository: it becomes a known secret at once, the clean room talks
 * to origin with it (fetches, the push), and the client it returns opens the
 * pull request, so the PR starts CI. Without them, undefined: the workflow's
 * token does all of it. The progress and issue comments keep the workflow's token.
 */
export async function appPublisher(scope: RunScope, workspace: Workspace): Promise<GitHubTarget | undefined> {
  const { config, context, github, out } = scope;
  if (!config.app || !github) return undefined;
  const token = await mintAppToken({ ...config.app, baseUrl: context.apiUrl, owner: github.owner, repo: github.repo });
  out.know([token]);
  workspace.room.remoteGit = withPushToken(workspace.room, token, context.serverUrl);
  const octokit = await createOctokit({ token, baseUrl: context.apiUrl });
  redactRequests(octokit, (value) => out.value(value));
  core.info(`pushing and opening the pull request as GitHub App ${config.app.appId} (an installation token for ${github.owner}/${github.repo})`);
  return { ...github, octokit };
}
