import type { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import type { GoogleAuth, GoogleAuthOptions } from 'google-auth-library';
import type { ClientOptions } from './client.js';
import type { VertexAccess } from './vertex.js';

/** The scope Vertex AI's prediction endpoints take. */
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Vertex wants `anthropic_version` in the body, set to this (Anthropic's Vertex page); the SDK
 * copies it there from the `anthropic-version` header and drops the header, so the header is
 * what is set. Left alone, the SDK would send the Claude API's dated version instead.
 */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

/**
 * AnthropicVertex, loaded only for a vertex run (google-auth-library is most of its size), with
 * a GoogleAuth made from the credentials read before the agent started: later token refreshes
 * never read the file again, so whatever happens to it meanwhile cannot change whose they are.
 */
export async function vertexClient(access: VertexAccess, options: ClientOptions, auth?: GoogleAuth): Promise<AnthropicVertex> {
  const [{ AnthropicVertex }, googleAuth] = await Promise.all([import('@anthropic-ai/vertex-sdk'), auth ?? googleAuthFor(access)]);
  return new AnthropicVertex({
    region: access.region,
    projectId: access.projectId,
    ...(access.baseUrl ? { baseURL: access.baseUrl } : {}),
    googleAuth,
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    defaultHeaders: { 'anthropic-version': VERTEX_ANTHROPIC_VERSION },
  });
}

/** Google's auth for these credentials (Workload Identity Federation, a key, or a person's), never reading the file again. */
export async function googleAuthFor(access: VertexAccess): Promise<GoogleAuth> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ credentials: access.credentials as GoogleAuthOptions['credentials'], scopes: CLOUD_PLATFORM, projectId: access.projectId });
}
