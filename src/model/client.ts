import Anthropic from '@anthropic-ai/sdk';

export interface ClientOptions {
  apiKey: string;
  /** A gateway or the tests' fake server; the SDK falls back to ANTHROPIC_BASE_URL. */
  baseUrl?: string;
  /** The SDK retries 408/409/429/5xx/529 and connection errors with backoff, honouring retry-after. */
  maxRetries?: number;
}

export function createModelClient(options: ClientOptions): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: options.maxRetries ?? 4,
    // The run's own deadline aborts a request; this only stops a silent socket from hanging forever.
    timeout: 10 * 60 * 1000,
  });
}
