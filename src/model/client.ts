import Anthropic from '@anthropic-ai/sdk';
import type { ModelAccess } from './access.js';
import { bedrockMessagesClient, newBedrockClient } from './bedrock.js';
import { credentialOptions } from './credentials.js';
import { vertexClient } from './vertexClient.js';

/** What the loop's model needs of a client: the streaming Messages call, whichever platform serves it. */
export interface MessagesClient {
  messages: { stream: Anthropic['messages']['stream'] };
}

export interface ClientOptions {
  maxRetries: number;
  timeoutMs: number;
}

/**
 * The official client for the provider. The platforms' clients are loaded only when asked
 * for: the AWS and Google libraries are most of the bundle, and a run on the Claude API
 * should not spend its start-up parsing them.
 */
export async function clientFor(access: ModelAccess, options: ClientOptions): Promise<MessagesClient> {
  switch (access.provider) {
    case 'anthropic':
      return new Anthropic({
        ...credentialOptions(access.apiKey, access.gateway),
        ...(access.baseUrl ? { baseURL: access.baseUrl } : {}),
        maxRetries: options.maxRetries,
        timeout: options.timeoutMs,
      });
    case 'bedrock':
      // Loaded here only: the AWS libraries stay unparsed on a run that does not use Bedrock (ncc makes this a chunk of its own).
      return bedrockMessagesClient(newBedrockClient(await import('@anthropic-ai/bedrock-sdk'), access, options));
    case 'vertex':
      return vertexClient(access, options);
  }
}
