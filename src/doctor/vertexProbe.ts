import type { VertexAccess } from '../model/vertex.js';
import { googleAuthFor, vertexClient } from '../model/vertexClient.js';
import { errorMessage } from '../text/errorMessage.js';
import type { Answer, PlatformFacts } from './facts.js';

const CREDENTIALS_FIX =
  'Check the google-github-actions/auth step before Nightshift: its workload_identity_provider and service_account, the job\'s permissions: id-token: write, and that the service account lets the pool impersonate it (roles/iam.workloadIdentityUser). See the README, "Google Vertex AI".';

/**
 * Provider vertex: the credentials are asked for an access token (Google's STS, and the
 * service account's impersonation, answer), then Vertex's count-tokens endpoint for Claude is
 * asked about the run's model in the run's project and region: it proves the token is accepted,
 * the model is enabled there and the id is right, and it bills no tokens. `fallback_model` is
 * asked the same at once, with the same token and client.
 */
export async function probeVertex(opts: { access: VertexAccess; model: string; fallbackModel?: string; timeoutMs: number }): Promise<PlatformFacts> {
  const { access, fallbackModel } = opts;
  const modelFix = (model: string) =>
    `Enable ${model} for project ${access.projectId} in Vertex AI Model Garden, give the service account roles/aiplatform.user, and check gcp_region (${access.region}; global serves Claude Sonnet 4.5 and later) and the id's form (claude-sonnet-4-5@20250929).`;
  const facts = (credentials: Answer<string>, model: Answer<string>, fallback?: Answer<string>): PlatformFacts => ({
    platform: 'vertex',
    credentials,
    model,
    credentialsFix: CREDENTIALS_FIX,
    modelFix: modelFix(opts.model),
    ...(fallback && fallbackModel !== undefined ? { fallback, fallbackFix: modelFix(fallbackModel) } : {}),
  });
  const auth = await googleAuthFor(access);
  const credentials = await answer(async () => {
    const token = await withTimeout(auth.getAccessToken(), opts.timeoutMs);
    if (!token) throw new Error('Google answered without an access token');
    return `Google issued an access token for ${whose(access)}`;
  });
  const notAsked: Answer<string> = { ok: false, message: 'not asked: no access token' };
  if (!credentials.ok) return facts(credentials, notAsked, fallbackModel === undefined ? undefined : notAsked);
  // The client reuses the token just issued (the same GoogleAuth caches it), so neither question asks Google again.
  const client = await answer(() => vertexClient(access, { maxRetries: 1, timeoutMs: opts.timeoutMs }, auth));
  if (!client.ok) return facts(credentials, client, fallbackModel === undefined ? undefined : client);
  const counts = (model: string) =>
    answer(async () => {
      const counted = await client.value.messages.countTokens({ model, messages: [{ role: 'user', content: 'ping' }] });
      return `Vertex AI counted tokens for ${model} in ${access.projectId}/${access.region} (${counted.input_tokens} input tokens for a one-word message), which bills nothing`;
    });
  const [model, fallback] = await Promise.all([counts(opts.model), fallbackModel === undefined ? undefined : counts(fallbackModel)]);
  return facts(credentials, model, fallback);
}

/** Whose credentials these are, as the file says (never a secret). */
function whose(access: VertexAccess): string {
  const credentials = access.credentials;
  switch (credentials.type) {
    case 'external_account': {
      const account = /serviceAccounts\/([^/:]+):generateAccessToken$/.exec(credentials.service_account_impersonation_url ?? '')?.[1];
      return account
        ? `${decodeURIComponent(account)} through Workload Identity Federation`
        : 'the workload identity pool (direct Workload Identity Federation)';
    }
    case 'service_account':
      return `${credentials.client_email} (a service account key)`;
    case 'authorized_user':
      return "a person's gcloud credentials";
  }
}

async function answer<T>(ask: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    return failed(error);
  }
}

/** Google's own status and message when the error carries its envelope; the SDK's or the library's message otherwise. */
function failed(error: unknown): Answer<never> {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  const body = typeof error === 'object' && error !== null && 'error' in error ? (error.error as { error?: { status?: string; message?: string } }) : undefined;
  const google = body?.error?.message ? `${body.error.status ? `${body.error.status}: ` : ''}${body.error.message}` : undefined;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return { ok: false, ...(status ? { status } : {}), message: google ?? `${errorMessage(error)}${cause}` };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Google within ${Math.round(ms / 1000)}s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
