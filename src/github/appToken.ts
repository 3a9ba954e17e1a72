import { createAppAuth } from '@octokit/auth-app';
import { request } from '@octokit/request';
import { errorMessage } from '../text/errorMessage.js';

/**
 * A GitHub App installation token for one repository: a JWT signed with the
 * app's key finds the app's installation on `owner/repo`
 * (GET /repos/{owner}/{repo}/installation), then the installation's token is
 * asked for with access to that repository only. Events made with it start
 * workflows, which GITHUB_TOKEN's do not. Errors name the app and the
 * repository, never the key or a token.
 */
export async function mintAppToken(opts: { appId: string; privateKey: string; baseUrl: string; owner: string; repo: string }): Promise<string> {
  const { owner, repo } = opts;
  const where = `app ${opts.appId} on ${owner}/${repo}`;
  const auth = createAppAuth({ appId: opts.appId, privateKey: opts.privateKey, request: request.defaults({ baseUrl: opts.baseUrl }) });
  let installationId: number;
  try {
    const app = await auth({ type: 'app' });
    const answer = await request('GET /repos/{owner}/{repo}/installation', {
      baseUrl: opts.baseUrl,
      owner,
      repo,
      headers: { authorization: `bearer ${app.token}` },
    });
    installationId = answer.data.id;
  } catch (error) {
    throw new Error(
      `could not find the GitHub App installation (${where}): ${errorMessage(error)}; is the app installed on the repository, and are app_id and app_private_key the app's?`,
      {
        cause: error,
      },
    );
  }
  try {
    const installation = await auth({ type: 'installation', installationId, repositoryNames: [repo] });
    return installation.token;
  } catch (error) {
    throw new Error(`could not get an installation token (${where}, installation ${installationId}): ${errorMessage(error)}`, { cause: error });
  }
}
