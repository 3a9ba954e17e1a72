import Anthropic from '@anthropic-ai/sdk';
import type { ModelAccess } from './access.js';
import { clientFor, type MessagesClient } from './client.js';
import type { TokenUsage } from '../records/usage.js';
import { usageFromResponse } from './usage.js';

/** One finished model reply, with what it was billed. */
export interface ModelReply {
  /** The id of the model that answered, as requested (the one its usage is priced at). */
  model: string;
  message: Anthropic.Messages.Message;
  usage: TokenUsage;
  ms: number;
}

/** What the agent loop needs from a model: one request in, one whole reply out. */
export interface Model {
  /** The model id requests name. */
  readonly id: string;
  send(request: Anthropic.Messages.MessageStreamParams, signal: AbortSignal): Promise<ModelReply>;
}

export interface ModelOptions {
  id: string;
  /** The provider, where it is and the credentials (a gateway or the tests' fake server in baseUrl). */
  access: ModelAccess;
  /** The SDK retries 408/409/429/5xx/529 and connection errors with backoff, honouring retry-after. */
  maxRetries?: number;
}

/** A stream cut mid-message is not retried by the SDK (it already had a 200), so this retries it. */
const STREAM_ATTEMPTS = 3;

/** The Messages API over the provider's official SDK, streaming. */
export function createModel(options: ModelOptions): Model {
  // Made at the first request, not before: a platform's client is loaded only when the run calls it.
  let client: Promise<MessagesClient> | undefined;
  return {
    id: options.id,
    async send(request, signal) {
      // The run's own deadline aborts a request; the timeout only stops a silent socket from hanging forever.
      client ??= clientFor(options.access, { maxRetries: options.maxRetries ?? 4, timeoutMs: 10 * 60 * 1000 });
      const started = performance.now();
      const message = await streamWithRetry(await client, request, signal);
      return { model: options.id, message, usage: usageFromResponse(message.usage), ms: performance.now() - started };
    },
  };
}

async function streamWithRetry(
  client: MessagesClient,
  request: Anthropic.Messages.MessageStreamParams,
  signal: AbortSignal,
): Promise<Anthropic.Messages.Message> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.messages.stream(request, { signal }).finalMessage();
    } catch (error) {
      // HTTP errors were already retried by the SDK; what is left to retry is a stream that broke after its 200.
      const retryable = !signal.aborted && !(error instanceof Anthropic.APIError && error.status !== undefined);
      if (!retryable || attempt >= STREAM_ATTEMPTS) throw error;
    }
  }
}
