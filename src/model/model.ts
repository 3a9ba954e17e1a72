import Anthropic from '@anthropic-ai/sdk';
import { credentialOptions, type Gateway } from './credentials.js';
import type { TokenUsage } from '../records/usage.js';
import { usageFromResponse } from './usage.js';

/** One finished model reply, with what it was billed. */
export interface ModelReply {
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

export interface AnthropicModelOptions {
  id: string;
  apiKey: string;
  /** A gateway or the tests' fake server; the SDK falls back to ANTHROPIC_BASE_URL. */
  baseUrl?: string;
  /** How the key is sent and a gateway's headers; x-api-key and none when absent. */
  gateway?: Gateway;
  /** The SDK retries 408/409/429/5xx/529 and connection errors with backoff, honouring retry-after. */
  maxRetries?: number;
}

/** A stream cut mid-message is not retried by the SDK (it already had a 200), so this retries it. */
const STREAM_ATTEMPTS = 3;

/** The Messages API over the official SDK, streaming. */
export function anthropicModel(options: AnthropicModelOptions): Model {
  const client = new Anthropic({
    ...credentialOptions(options.apiKey, options.gateway),
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: options.maxRetries ?? 4,
    // The run's own deadline aborts a request; this only stops a silent socket from hanging forever.
    timeout: 10 * 60 * 1000,
  });
  return {
    id: options.id,
    async send(request, signal) {
      const started = performance.now();
      const message = await streamWithRetry(client, request, signal);
      return { message, usage: usageFromResponse(message.usage), ms: performance.now() - started };
    },
  };
}

async function streamWithRetry(client: Anthropic, request: Anthropic.Messages.MessageStreamParams, signal: AbortSignal): Promise<Anthropic.Messages.Message> {
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
