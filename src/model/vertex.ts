import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import { supportsAnthropicToolTypes } from './modelName.js';

/** Google Vertex AI: a project, a region and Google credentials. */
export interface VertexAccess {
  provider: 'vertex';
  region: string;
  projectId: string;
  baseUrl?: string;
  /** The values here that are secret: known to the redactor before any request goes out. */
  secrets: string[];
}

// Skeleton: the Vertex helper fills this in (issue 14).
export function vertexAccess(config: Config, _env: NodeJS.ProcessEnv): VertexAccess {
  throw new ConfigError([`provider vertex is not available yet (model ${config.model})`]);
}

// Skeleton: the vertex helper checks the platform's documentation (issue 14).
export function vertexToolTypes(model: string): boolean {
  return supportsAnthropicToolTypes(model);
}
