import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import type { Gateway } from './credentials.js';
import { bedrockAccess, bedrockToolTypes, type BedrockAccess } from './bedrock.js';
import { supportsAnthropicToolTypes } from './modelName.js';
import { vertexAccess, vertexToolTypes, type VertexAccess } from './vertex.js';

/** The Claude API itself, or a gateway in front of it (anthropic_base_url). */
export interface AnthropicAccess {
  provider: 'anthropic';
  apiKey: string;
  baseUrl?: string;
  gateway: Gateway;
  /** The values here that are secret: known to the redactor before any request goes out. */
  secrets: string[];
}

/** Everything a client needs to reach the run's models on its provider, credentials included (secret). */
export type ModelAccess = AnthropicAccess | BedrockAccess | VertexAccess;

/**
 * The secrets a provider's credentials hold, for a part of the run (the doctor) that may not
 * get as far as a client: none when they cannot be found.
 */
export function accessSecrets(config: Config, env: NodeJS.ProcessEnv): string[] {
  try {
    return modelAccess(config, env).secrets;
  } catch {
    return [];
  }
}

/**
 * The provider's credentials and place, for a run that is about to call the model. Checked
 * there rather than with the other inputs: plan mode makes no model call, and an event that
 * ends skipped or refused (a fork's event carries no secrets) should say so, not ask for a key
 * it never needed. `env` is the run's environment after the hand-off (the AWS secrets are back
 * in it, in memory only). Throws a ConfigError naming the input or variable that is missing.
 */
export function modelAccess(config: Config, env: NodeJS.ProcessEnv): ModelAccess {
  switch (config.provider.kind) {
    case 'bedrock':
      return bedrockAccess(config, env);
    case 'vertex':
      return vertexAccess(config, env);
    case 'anthropic':
      if (config.apiKey === '') {
        throw new ConfigError([
          'anthropic_api_key must be set for a run that calls the model (pass a repository secret such as ANTHROPIC_API_KEY), got an empty value',
        ]);
      }
      return {
        provider: 'anthropic',
        apiKey: config.apiKey,
        baseUrl: config.baseUrl,
        gateway: config.gateway,
        secrets: [config.apiKey, ...Object.values(config.gateway.headers)],
      };
  }
}

/**
 * Whether the run's tools go out as the Anthropic-defined editor and bash types (the model
 * is trained on them) or as our own JSON schemas: the model decides on the Claude API, and
 * each platform says which of those types it accepts.
 */
export function anthropicToolTypesOn(access: Pick<ModelAccess, 'provider'>, model: string): boolean {
  switch (access.provider) {
    case 'anthropic':
      return supportsAnthropicToolTypes(model);
    case 'bedrock':
      return bedrockToolTypes(model);
    case 'vertex':
      return vertexToolTypes(model);
  }
}

/**
 * The provider's files the agent must never read: the credentials file google-github-actions/auth
 * writes into the workspace. Absolute paths; none for a provider that keeps no file.
 */
export function accessFiles(access: ModelAccess): string[] {
  return access.provider === 'vertex' ? [access.credentialsFile] : [];
}
