import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import { supportsAnthropicToolTypes } from './modelName.js';
import { credentialsProject, credentialsSecrets, readCredentialsFile, type GoogleCredentials } from './vertexCredentials.js';

/** Google Vertex AI: a project, a region and Google credentials. */
export interface VertexAccess {
  provider: 'vertex';
  region: string;
  projectId: string;
  baseUrl?: string;
  /** The parsed credentials file: the client is made from these bytes, read once before the agent starts. */
  credentials: GoogleCredentials;
  /** The credentials file in the runner's filesystem (usually the workspace): the agent must never read it. */
  credentialsFile: string;
  /** Its bytes as the auth step wrote them. */
  credentialsRaw: string;
  /** The values here that are secret: known to the redactor before any request goes out. */
  secrets: string[];
}

/** The variables the auth action (and gcloud) export with the project, in the order they are trusted. */
const PROJECT_VARIABLES = ['GOOGLE_CLOUD_PROJECT', 'CLOUDSDK_CORE_PROJECT', 'GCLOUD_PROJECT'] as const;

/**
 * The global endpoint serves Claude Sonnet 4.5 and every later model with no regional premium
 * and the most capacity (Anthropic's Vertex page, "Global vs regional endpoints"); a workflow
 * that needs data residency names its region.
 */
const DEFAULT_REGION = 'global';

/**
 * Credentials, project and region for provider vertex, from what google-github-actions/auth
 * exported and the inputs. Reads the credentials file once, here, before the agent starts.
 */
export function vertexAccess(config: Config, env: NodeJS.ProcessEnv): VertexAccess {
  const problems = [...vertexModelProblems('model', config.model), ...vertexModelProblems('fallback_model', config.fallbackModel ?? '')];
  if (problems.length > 0) throw new ConfigError(problems);
  const file = readCredentialsFile(env);
  const fromEnv = PROJECT_VARIABLES.map((name) => [name, env[name]?.trim()] as const).find(([, value]) => value);
  const projectId = config.provider.gcpProject || fromEnv?.[1] || credentialsProject(file.credentials);
  if (!projectId) {
    throw new ConfigError([
      `provider vertex needs a Google Cloud project: set the input gcp_project, or give google-github-actions/auth a project_id (it exports GOOGLE_CLOUD_PROJECT); none of gcp_project, ${PROJECT_VARIABLES.join(', ')} or the credentials file's project is set`,
    ]);
  }
  const projectSource = config.provider.gcpProject ? 'gcp_project' : (fromEnv?.[0] ?? `the credentials file ${file.path}`);
  if (!/^[a-z][a-z0-9.:-]{2,62}[a-z0-9]$/.test(projectId)) {
    throw new ConfigError([`${projectSource} must be a Google Cloud project id such as my-project-123, got ${JSON.stringify(projectId)}`]);
  }
  const regionInput = config.provider.gcpRegion || env.CLOUD_ML_REGION?.trim() || DEFAULT_REGION;
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(regionInput)) {
    const source = config.provider.gcpRegion ? 'gcp_region' : 'CLOUD_ML_REGION';
    throw new ConfigError([`${source} must be a Vertex AI location such as global, us-east5 or europe-west1, got ${JSON.stringify(regionInput)}`]);
  }
  const baseUrl = env.ANTHROPIC_VERTEX_BASE_URL?.trim() || undefined;
  return {
    provider: 'vertex',
    region: regionInput,
    projectId,
    ...(baseUrl ? { baseUrl } : {}),
    credentials: file.credentials,
    credentialsFile: file.path,
    credentialsRaw: file.raw,
    secrets: credentialsSecrets(file.credentials),
  };
}

const VERTEX_EXAMPLE = 'claude-sonnet-4-5@20250929 (or an undated id such as claude-sonnet-5-5)';

/**
 * Vertex names a model `claude-sonnet-4-5@20250929` (a version after `@`), or by its undated
 * id (`claude-sonnet-4-5`, and the newest models only so). The Claude API's dated ids and
 * Bedrock's are refused before any request, with the form Vertex expects.
 */
export function vertexModelProblems(input: 'model' | 'fallback_model', model: string): string[] {
  if (model === '') return [];
  const expected = `${input} must be a Vertex AI model id such as ${VERTEX_EXAMPLE} for provider vertex`;
  if (/(?:^|\.)anthropic\.|^arn:|:\d+$/.test(model)) return [`${expected}, got ${model}, which is an Amazon Bedrock id`];
  const dated = /^(claude-[a-z0-9.-]+?)-(\d{8})$/.exec(model);
  if (dated) return [`${expected}, got ${model}, which is a Claude API id: on Vertex it is ${dated[1]}@${dated[2]}`];
  if (!/^claude-[a-z0-9.-]*[a-z0-9](?:@(?:\d{8}|latest))?$/.test(model)) return [`${expected}, got ${model}`];
  return [];
}

/**
 * Vertex serves the Messages API with its tools as they are: the Anthropic-defined client
 * tools (the text editor, bash) need no beta there either, for the same models
 * (Anthropic's Vertex page: "supports all the same options"; `@ai-sdk/google-vertex` offers
 * the same bash and editor tools). So the Claude API's rule holds.
 */
export function vertexToolTypes(model: string): boolean {
  return supportsAnthropicToolTypes(model);
}
