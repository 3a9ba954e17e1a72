import type * as BedrockSdk from '@anthropic-ai/bedrock-sdk';
import type Anthropic from '@anthropic-ai/sdk';
import { ConfigError } from '../config/readConfig.js';
import type { Config } from '../config/schema.js';
import type { ClientOptions, MessagesClient } from './client.js';
import { supportsAnthropicToolTypes } from './modelName.js';

/** How the run signs its Bedrock requests: AWS credentials (SigV4), or a Bedrock API key (bearer). */
export type BedrockCredentials = { kind: 'sigv4'; accessKeyId: string; secretAccessKey: string; sessionToken?: string } | { kind: 'api-key'; token: string };

/** Amazon Bedrock: a region and AWS credentials (SigV4), or a Bedrock API key. */
export interface BedrockAccess {
  provider: 'bedrock';
  region: string;
  credentials: BedrockCredentials;
  /** ANTHROPIC_BEDROCK_BASE_URL: a VPC endpoint, a proxy, or the tests' fake. */
  baseUrl?: string;
  /** The values here that are secret: known to the redactor before any request goes out. */
  secrets: string[];
}

/** What the maintainer adds when the credentials are not there: said in every credentials error. */
export const BEDROCK_AUTH_FIX =
  'add an aws-actions/configure-aws-credentials step (role-to-assume, aws-region) before the Nightshift step, with `permissions: id-token: write` on the job, or export a Bedrock API key as AWS_BEARER_TOKEN_BEDROCK';

const EXAMPLE_ID = 'global.anthropic.claude-sonnet-5-5';
const MODEL_FORM =
  `a Bedrock model id: a foundation model (anthropic.claude-sonnet-4-5-20250929-v1:0), an inference profile ` +
  `(us./eu./apac./global.anthropic.…, e.g. ${EXAMPLE_ID}) or an ARN (arn:aws:bedrock:…)`;

/** `anthropic.claude-…`, optionally behind a cross-region prefix (us., eu., apac., global., us-gov., jp., …). */
const FOUNDATION_OR_PROFILE = /^(?:[a-z]{2,6}(?:-[a-z]+)?\.)?anthropic\.claude-[a-z0-9][a-z0-9.-]*(?::\d+)?$/;
/** Inference profiles, application inference profiles, provisioned and imported models are all named by ARN. */
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{0,12}:[a-z-]+\/[A-Za-z0-9.:/_-]+$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;

/** Why `model` (or `fallback_model`) is not a Bedrock id, naming the input, the value and the form; undefined when it is one. */
export function bedrockModelProblem(input: string, model: string): string | undefined {
  if (FOUNDATION_OR_PROFILE.test(model) || BEDROCK_ARN.test(model)) return undefined;
  let hint = '';
  if (/^claude-[^@]*@/.test(model)) hint = ' (that is a Vertex AI id)';
  else if (/^claude-/.test(model)) hint = ` (that is a Claude API id; on Bedrock the same model is e.g. global.anthropic.${model})`;
  return `${input} must be ${MODEL_FORM} for provider bedrock, got ${JSON.stringify(model)}${hint}`;
}

/**
 * The run's Bedrock place and credentials, from what aws-actions/configure-aws-credentials
 * exports (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION) or a
 * Bedrock API key (AWS_BEARER_TOKEN_BEDROCK). Everything missing is named at once.
 */
export function bedrockAccess(config: Config, env: NodeJS.ProcessEnv): BedrockAccess {
  const problems: string[] = [];
  for (const [input, model] of [
    ['model', config.model],
    ['fallback_model', config.fallbackModel],
  ] as const) {
    const problem = model === undefined ? undefined : bedrockModelProblem(input, model);
    if (problem) problems.push(problem);
  }
  const region = regionOf(config, env, problems);
  const credentials = credentialsOf(env, problems);
  const baseUrl = baseUrlOf(env, problems);
  if (problems.length > 0 || credentials === undefined) throw new ConfigError(problems);
  const secrets =
    credentials.kind === 'api-key' ? [credentials.token] : [credentials.secretAccessKey, ...(credentials.sessionToken ? [credentials.sessionToken] : [])];
  return { provider: 'bedrock', region, credentials, ...(baseUrl ? { baseUrl } : {}), secrets };
}

function set(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function regionOf(config: Config, env: NodeJS.ProcessEnv, problems: string[]): string {
  const [source, region] = (
    [
      ['aws_region', set(config.provider.awsRegion)],
      ['AWS_REGION', set(env.AWS_REGION)],
      ['AWS_DEFAULT_REGION', set(env.AWS_DEFAULT_REGION)],
    ] as const
  ).find(([, value]) => value !== undefined) ?? ['', undefined];
  if (region === undefined) {
    problems.push(
      'provider bedrock needs an AWS region, and none of input aws_region, AWS_REGION or AWS_DEFAULT_REGION is set: ' +
        'set aws_region (e.g. us-east-1), or aws-region on the aws-actions/configure-aws-credentials step (it exports AWS_REGION)',
    );
    return '';
  }
  // The region becomes the endpoint's host name: anything else is refused rather than dialled.
  if (!REGION.test(region)) problems.push(`${source} must be an AWS region such as us-east-1, got ${JSON.stringify(region)}`);
  return region;
}

function credentialsOf(env: NodeJS.ProcessEnv, problems: string[]): BedrockCredentials | undefined {
  const token = set(env.AWS_BEARER_TOKEN_BEDROCK);
  // The SDK's own precedence: a Bedrock API key wins over AWS credentials.
  if (token) return { kind: 'api-key', token };
  const accessKeyId = set(env.AWS_ACCESS_KEY_ID);
  const secretAccessKey = set(env.AWS_SECRET_ACCESS_KEY);
  const sessionToken = set(env.AWS_SESSION_TOKEN);
  if (accessKeyId && secretAccessKey) return { kind: 'sigv4', accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  if (accessKeyId || secretAccessKey) {
    const missing = accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID';
    problems.push(`provider bedrock found ${accessKeyId ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} but not ${missing}: ${BEDROCK_AUTH_FIX}`);
  } else {
    problems.push(
      `provider bedrock needs AWS credentials, and none of AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY, or AWS_BEARER_TOKEN_BEDROCK, is set: ${BEDROCK_AUTH_FIX}`,
    );
  }
  return undefined;
}

function baseUrlOf(env: NodeJS.ProcessEnv, problems: string[]): string | undefined {
  const raw = set(env.ANTHROPIC_BEDROCK_BASE_URL);
  if (raw === undefined) return undefined;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    problems.push(`ANTHROPIC_BEDROCK_BASE_URL must be an http(s) URL, got ${JSON.stringify(raw)}`);
    return undefined;
  }
  return raw;
}

/**
 * Bedrock accepts the Anthropic-defined editor and bash types for the Claude 4 models and
 * later, as the Claude API does, but only with the computer-use beta in the body's
 * `anthropic_beta` (its request schema lists bash_* and text_editor_* as valid tool types
 * only then); other models get our own JSON-schema tools.
 */
export function bedrockToolTypes(model: string): boolean {
  return supportsAnthropicToolTypes(model);
}

/** The only `anthropic_version` bedrock-runtime accepts in the body (InvokeModel, InvokeModelWithResponseStream, CountTokens). */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

/** The beta that unlocks the bash_20250124 and text_editor_* tool types on Bedrock (sent as `anthropic_beta`). */
export const BEDROCK_TOOL_BETA = 'computer-use-2025-01-24';

/** The request's `anthropic-beta` header (the SDK moves it into the body): the tool beta when an Anthropic-defined tool goes out. */
export function bedrockBetaHeaders(request: Pick<Anthropic.Messages.MessageStreamParams, 'tools'>): Record<string, string> {
  const defined = (request.tools ?? []).some((tool) => 'type' in tool && typeof tool.type === 'string' && /^(?:bash|text_editor)_\d{8}$/.test(tool.type));
  return defined ? { 'anthropic-beta': BEDROCK_TOOL_BETA } : {};
}

/**
 * The SDK's client for this access, from the module the caller loaded (lazily): every option
 * passed, nothing left to the SDK's reading of process.env, which the run does not take settings from.
 */
export function newBedrockClient(sdk: typeof BedrockSdk, access: BedrockAccess, options: ClientOptions): BedrockSdk.AnthropicBedrock {
  const common = {
    awsRegion: access.region,
    baseURL: access.baseUrl ?? `https://bedrock-runtime.${access.region}.amazonaws.com`,
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
    // The SDK copies its anthropic-version header into the body's anthropic_version, and from
    // 1.0 that header is the Claude API's dated version (2026-10-21); bedrock-runtime documents
    // bedrock-2023-05-31 as the one value it takes, so the header is set to that.
    defaultHeaders: { 'anthropic-version': BEDROCK_ANTHROPIC_VERSION },
  };
  if (access.credentials.kind === 'api-key') return new sdk.AnthropicBedrock({ ...common, apiKey: access.credentials.token });
  const { accessKeyId, secretAccessKey, sessionToken } = access.credentials;
  // apiKey null: a stray AWS_BEARER_TOKEN_BEDROCK in the process's environment must not replace the signing.
  return new sdk.AnthropicBedrock({ ...common, apiKey: null, awsAccessKey: accessKeyId, awsSecretKey: secretAccessKey, awsSessionToken: sessionToken ?? null });
}

/** The loop's streaming call on a Bedrock client, with the tool beta added where the request needs it. */
export function bedrockMessagesClient(client: BedrockSdk.AnthropicBedrock): MessagesClient {
  return {
    messages: {
      stream: (params, options) => client.messages.stream(params, { ...options, headers: withBetas(headersOf(options), bedrockBetaHeaders(params)) }),
    },
  };
}

/** A caller's own betas are kept beside the tool beta (the SDK splits the header on commas into `anthropic_beta`). */
function withBetas(headers: Record<string, string>, added: Record<string, string>): Record<string, string> {
  const betas = [headers['anthropic-beta'], added['anthropic-beta']].filter((beta): beta is string => beta !== undefined && beta !== '');
  return betas.length > 0 ? { ...headers, 'anthropic-beta': betas.join(',') } : headers;
}

/** The loop passes no headers today; a plain object of them is kept, other forms are not expected here. */
function headersOf(options: Anthropic.RequestOptions | undefined): Record<string, string> {
  const headers = options?.headers;
  if (headers === undefined || headers === null || Array.isArray(headers) || headers instanceof Headers) return {};
  return Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
