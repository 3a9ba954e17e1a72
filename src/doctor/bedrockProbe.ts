import Anthropic from '@anthropic-ai/sdk';
import { BEDROCK_ANTHROPIC_VERSION, BEDROCK_AUTH_FIX, newBedrockClient, type BedrockAccess } from '../model/bedrock.js';
import { errorMessage } from '../text/errorMessage.js';
import type { Answer, PlatformFacts } from './facts.js';

/** AWS's answers that mean the credentials themselves were not accepted (as opposed to not allowed). */
const CREDENTIAL_ERRORS = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);

const MODEL_FIX =
  'Check the model id and region: a Bedrock id such as global.anthropic.claude-sonnet-5-5 or us.anthropic.claude-sonnet-4-5-20250929-v1:0 (see the Bedrock console, Model catalog), ' +
  'model access enabled for this account, and the role allowed bedrock:InvokeModel, bedrock:InvokeModelWithResponseStream and bedrock:CountTokens on it ' +
  '(for an inference profile: on the profile and on the foundation model in every Region it routes to).';

interface Refusal {
  status?: number;
  type: string;
  message: string;
}

function refusalOf(error: unknown): Refusal {
  if (error instanceof Anthropic.APIError) {
    // Bedrock names the error in x-amzn-ErrorType (`ValidationException:http://…`) and says why in {"message"}.
    const type = error.headers?.get('x-amzn-errortype')?.split(':')[0] ?? error.type ?? 'error';
    const body = error.error as { message?: unknown } | undefined;
    const message = typeof body?.message === 'string' ? body.message : errorMessage(error);
    return { ...(error.status ? { status: error.status } : {}), type, message };
  }
  return { type: 'connection', message: errorMessage(error) };
}

type Client = ReturnType<typeof newBedrockClient>;

/** What CountTokens said about one model id: its count, or Bedrock's refusal. */
type Counted = { ok: true; inputTokens?: number } | { ok: false; refusal: Refusal };

async function countTokens(client: Client, model: string): Promise<Counted> {
  const invokeBody = { anthropic_version: BEDROCK_ANTHROPIC_VERSION, max_tokens: 1, messages: [{ role: 'user', content: 'Hello' }] };
  try {
    const answer = await client.post<{ inputTokens?: number }>(`/model/${encodeURIComponent(model)}/count-tokens`, {
      body: { input: { invokeModel: { body: Buffer.from(JSON.stringify(invokeBody)).toString('base64') } } },
      // CountTokens takes the version inside its input's body, not beside it.
      headers: { 'anthropic-version': null },
    });
    return { ok: true, ...(answer.inputTokens === undefined ? {} : { inputTokens: answer.inputTokens }) };
  } catch (error) {
    return { ok: false, refusal: refusalOf(error) };
  }
}

const said = (refusal: Refusal): Answer<never> => ({
  ok: false,
  ...(refusal.status ? { status: refusal.status } : {}),
  message: `${refusal.type}: ${refusal.message}`,
});

/** Whether the model resolves in the region for these credentials, as CountTokens answered. */
function modelAnswer(model: string, region: string, counted: Counted): Answer<string> {
  if (counted.ok) return { ok: true, value: `${model} answered CountTokens in ${region} (${counted.inputTokens ?? '?'} input tokens for a one-word prompt)` };
  const { refusal } = counted;
  if (refusal.type === 'ValidationException' && /count(ing)? tokens/i.test(refusal.message)) {
    // Some models (those launched on cross-region profiles only) do not count tokens on bedrock-runtime: reachable, but not provable for free.
    return { ok: true, value: `${model} resolves in ${region} but does not count tokens there; whether the role may invoke it shows at the first request` };
  }
  return said(refusal);
}

/**
 * Provider bedrock: CountTokens (`POST /model/{id}/count-tokens`), which Bedrock documents
 * as free, asked with the run's own credentials, region and endpoint. Its answer proves the
 * signature is accepted and the model resolves in this region, without a billed request.
 * `fallback_model` is asked the same at once, through the same client.
 */
export async function probeBedrock(opts: { access: BedrockAccess; model: string; fallbackModel?: string; timeoutMs: number }): Promise<PlatformFacts> {
  const { access, model, fallbackModel } = opts;
  const where = `Bedrock in ${access.region}`;
  const client = newBedrockClient(await import('@anthropic-ai/bedrock-sdk'), access, { maxRetries: 1, timeoutMs: opts.timeoutMs });
  const [counted, fallback] = await Promise.all([countTokens(client, model), fallbackModel === undefined ? undefined : countTokens(client, fallbackModel)]);
  let credentials: Answer<string>;
  if (counted.ok) {
    credentials = {
      ok: true,
      value: `${where} accepted the ${access.credentials.kind === 'api-key' ? 'Bedrock API key' : 'signed request'} (CountTokens, nothing billed)`,
    };
  } else if (counted.refusal.type === 'connection' || CREDENTIAL_ERRORS.has(counted.refusal.type)) {
    credentials = said(counted.refusal);
  } else {
    credentials = { ok: true, value: `${where} recognised the credentials (it answered ${counted.refusal.type}, not an authentication error)` };
  }
  return {
    platform: 'bedrock',
    credentials,
    model: modelAnswer(model, access.region, counted),
    credentialsFix: `Check the AWS credentials the job exports: ${BEDROCK_AUTH_FIX}.`,
    modelFix: MODEL_FIX,
    ...(fallback && fallbackModel !== undefined
      ? { fallback: modelAnswer(fallbackModel, access.region, fallback), fallbackFix: MODEL_FIX.replace('the model id', 'the fallback_model id') }
      : {}),
  };
}
