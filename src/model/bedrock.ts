import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import { supportsAnthropicToolTypes } from './modelName.js';

/** Amazon Bedrock: a region and AWS credentials (SigV4), or a Bedrock API key. */
export interface BedrockAccess {
  provider: 'bedrock';
  region: string;
  baseUrl?: string;
  /** The values here that are secret: known to the redactor before any request goes out. */
  secrets: string[];
}

// Skeleton: the Bedrock helper fills this in (issue 14).
export function bedrockAccess(config: Config, _env: NodeJS.ProcessEnv): BedrockAccess {
  throw new ConfigError([`provider bedrock is not available yet (model ${config.model})`]);
}

// Skeleton: the bedrock helper checks the platform's documentation (issue 14).
export function bedrockToolTypes(model: string): boolean {
  return supportsAnthropicToolTypes(model);
}
