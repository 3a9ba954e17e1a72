import Anthropic from '@anthropic-ai/sdk';
import { credentialOptions, type Gateway } from '../model/credentials.js';
import { errorMessage } from '../text/errorMessage.js';
import type { Answer } from './facts.js';

/** An API error as a short sentence: the API's own type and message when it gave them. */
function failed(error: unknown): Answer<never> {
  if (error instanceof Anthropic.APIError) {
    const said = error.apiMessage ? `${error.type ? `${error.type}: ` : ''}${error.apiMessage}` : errorMessage(error);
    return { ok: false, ...(error.status ? { status: error.status } : {}), message: said };
  }
  return { ok: false, message: errorMessage(error) };
}

async function answer<T>(ask: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: true, value: await ask() };
  } catch (error) {
    return failed(error);
  }
}

/**
 * The Models API, which costs no tokens: the list says whether the key is
 * accepted, the model's own entry whether it is available to this key (and
 * `fallback_model`'s entry the same for it). All at once, through the same
 * client (and base URL) a run's requests use.
 */
export async function probeModels(opts: {
  apiKey: string;
  baseUrl?: string;
  gateway?: Gateway;
  model: string;
  fallbackModel?: string;
  timeoutMs: number;
}): Promise<{ models: Answer<string[]>; model: Answer<string>; fallback?: Answer<string> }> {
  const client = new Anthropic({
    ...credentialOptions(opts.apiKey, opts.gateway),
    ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}),
    maxRetries: 1,
    timeout: opts.timeoutMs,
  });
  const { fallbackModel } = opts;
  const [models, model, fallback] = await Promise.all([
    answer(async () => (await client.models.list({ limit: 1000 })).data.map((each) => each.id)),
    answer(async () => (await client.models.retrieve(opts.model)).id),
    fallbackModel === undefined ? undefined : answer(async () => (await client.models.retrieve(fallbackModel)).id),
  ]);
  return { models, model, ...(fallback ? { fallback } : {}) };
}
