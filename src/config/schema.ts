import type { BudgetLimits } from '../records/budget.js';
import { z } from 'zod';
import {
  commandLines,
  identity,
  nameList,
  refName,
  regexLines,
  headerLines,
  oneOf,
  optionalWholeNumber,
  booleanFlag,
  envNames,
  hostList,
  isolationMode,
  modelName,
  optionalModelName,
  optionalUrl,
  positiveNumber,
  priceOverride,
  wholeNumber,
} from './fields.js';
import { appCredentials } from './appCredentials.js';

/**
 * Every action input, with the default used when it is empty. action.yml
 * declares the same names and defaults; a test keeps the two in step.
 */
export const INPUT_DEFAULTS = {
  anthropic_api_key: '',
  anthropic_base_url: '',
  anthropic_auth: 'x-api-key',
  anthropic_headers: '',
  provider: 'anthropic',
  aws_region: '',
  gcp_project: '',
  gcp_region: '',
  github_token: '',
  // Empty: the provider's own default (DEFAULT_MODELS).
  model: '',
  model_prices: '',
  fallback_model: '',
  prompt: '',
  instructions: '',
  verify: '',
  max_steps: '60',
  max_minutes: '30',
  max_tokens: '3000000',
  max_cost_usd: '5',
  max_output_tokens: '16000',
  command_timeout_seconds: '600',
  verify_attempts: '3',
  branch_prefix: 'nightshift/',
  base_branch: '',
  commit_author: 'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>',
  labels: '',
  reviewers: '',
  context_ceiling_tokens: '150000',
  protected_paths: '.github/workflows/**\n.git/**',
  blocked_commands: '',
  secret_env: '',
  mode: 'run',
  plan_label: '',
  tasks_file: '',
  max_items: '10',
  issue_number: '',
  task_key: '',
  trigger_phrase: '@nightshift',
  label_trigger: 'nightshift',
  assignee_trigger: '',
  allowed_users: '',
  allowed_bots: '',
  allow_forks: 'false',
  approval_required: '',
  max_total_cost_usd: '20',
  isolation: '',
  network: 'allowlist',
  allowed_hosts: '',
  agent_env: '',
  sign_commits: 'auto',
  app_id: '',
  app_private_key: '',
} as const;

/**
 * The model a run gets when `model` is empty, in each provider's own id form. On Bedrock it is
 * the global cross-region inference profile (served from any source region that offers it;
 * AWS documents it about 10% below the geographic profiles for Claude Sonnet 4.5); Vertex
 * serves the newest models under their undated Claude id. A `model` given is taken as written
 * and checked in the provider's form, so an id written for one platform is never silently
 * rewritten for another.
 */
export const DEFAULT_MODELS: Record<'anthropic' | 'bedrock' | 'vertex', string> = {
  anthropic: 'claude-sonnet-5-5',
  bedrock: 'global.anthropic.claude-sonnet-5-5',
  vertex: 'claude-sonnet-5-5',
};

function modelFor(provider: 'anthropic' | 'bedrock' | 'vertex', model: string): string {
  return model === '' ? DEFAULT_MODELS[provider] : model;
}

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

export const inputSchema = z
  .object({
    // Required only where the model is called (modelAccess): plan mode and runs that skip or refuse need none.
    anthropic_api_key: z.string().transform((raw) => raw.trim()),
    anthropic_base_url: optionalUrl('anthropic_base_url'),
    anthropic_auth: oneOf('anthropic_auth', ['x-api-key', 'bearer']),
    anthropic_headers: headerLines('anthropic_headers'),
    provider: oneOf('provider', ['anthropic', 'bedrock', 'vertex']),
    aws_region: z.string().transform((raw) => raw.trim()),
    gcp_project: z.string().transform((raw) => raw.trim()),
    gcp_region: z.string().transform((raw) => raw.trim()),
    github_token: z.string(),
    model: modelName('model'),
    model_prices: priceOverride('model_prices'),
    fallback_model: optionalModelName('fallback_model'),
    prompt: z.string(),
    instructions: z.string(),
    verify: commandLines(),
    max_steps: wholeNumber('max_steps', 1),
    max_minutes: positiveNumber('max_minutes', 'minutes'),
    max_tokens: wholeNumber('max_tokens', 1_000),
    max_cost_usd: positiveNumber('max_cost_usd', 'dollars'),
    max_output_tokens: wholeNumber('max_output_tokens', 256, 128_000),
    command_timeout_seconds: wholeNumber('command_timeout_seconds', 1, 6 * 3600),
    verify_attempts: wholeNumber('verify_attempts', 1, 20),
    branch_prefix: refName('branch_prefix'),
    base_branch: refName('base_branch'),
    commit_author: identity('commit_author'),
    labels: nameList(),
    reviewers: nameList(),
    context_ceiling_tokens: wholeNumber('context_ceiling_tokens', 20_000, 1_000_000),
    protected_paths: commandLines(),
    blocked_commands: regexLines('blocked_commands'),
    secret_env: nameList(),
    mode: oneOf('mode', ['run', 'plan', 'doctor']),
    plan_label: z.string().transform((raw) => raw.trim()),
    tasks_file: z.string().transform((raw) => raw.trim()),
    max_items: wholeNumber('max_items', 1, 256),
    issue_number: optionalWholeNumber('issue_number'),
    task_key: refName('task_key'),
    trigger_phrase: z
      .string()
      .transform((raw) => raw.trim())
      .pipe(z.string().min(2, { message: 'trigger_phrase must be at least 2 characters, got an empty value' })),
    label_trigger: z.string().transform((raw) => raw.trim()),
    assignee_trigger: z.string().transform((raw) => raw.trim().replace(/^@/, '')),
    allowed_users: nameList(),
    allowed_bots: nameList(),
    allow_forks: booleanFlag('allow_forks'),
    approval_required: regexLines('approval_required'),
    max_total_cost_usd: positiveNumber('max_total_cost_usd', 'dollars'),
    isolation: isolationMode('isolation'),
    network: oneOf('network', ['allowlist', 'open', 'none']),
    allowed_hosts: hostList('allowed_hosts'),
    agent_env: envNames('agent_env'),
    sign_commits: oneOf('sign_commits', ['auto', 'true', 'false']),
    app_id: z.string().transform((raw) => raw.trim()),
    app_private_key: z.string(),
  } satisfies Record<InputName, z.ZodType>)
  .transform((inputs, ctx) => ({
    apiKey: inputs.anthropic_api_key,
    baseUrl: inputs.anthropic_base_url,
    // How a gateway wants the key, and the headers it requires (secret values).
    gateway: { auth: inputs.anthropic_auth, headers: inputs.anthropic_headers },
    // Where Claude is reached; each platform's region and project fall back on what its auth action exported (modelAccess).
    provider: { kind: inputs.provider, awsRegion: inputs.aws_region, gcpProject: inputs.gcp_project, gcpRegion: inputs.gcp_region },
    githubToken: inputs.github_token,
    model: modelFor(inputs.provider, inputs.model),
    priceOverride: inputs.model_prices,
    // Taken when the model stays overloaded after the SDK's retries, or is not served where the run asks.
    fallbackModel: inputs.fallback_model,
    prompt: inputs.prompt.trim(),
    // Standing instructions for every run, beside the repository's own files (kept as written; bounded when loaded).
    instructions: inputs.instructions,
    verify: inputs.verify,
    budget: {
      maxSteps: inputs.max_steps,
      maxMinutes: inputs.max_minutes,
      maxTokens: inputs.max_tokens,
      maxCostUsd: inputs.max_cost_usd,
    } satisfies BudgetLimits,
    maxOutputTokens: inputs.max_output_tokens,
    commandTimeoutMs: inputs.command_timeout_seconds * 1000,
    verifyAttempts: inputs.verify_attempts,
    branchPrefix: inputs.branch_prefix,
    baseBranch: inputs.base_branch,
    commitAuthor: inputs.commit_author,
    labels: inputs.labels,
    reviewers: inputs.reviewers.map((name) => name.replace(/^@/, '')),
    contextCeilingTokens: inputs.context_ceiling_tokens,
    protectedPaths: inputs.protected_paths,
    blockedCommands: inputs.blocked_commands,
    secretEnv: inputs.secret_env,
    mode: inputs.mode,
    plan: { label: inputs.plan_label, tasksFile: inputs.tasks_file, maxItems: inputs.max_items },
    issueNumber: inputs.issue_number,
    taskKey: inputs.task_key,
    trigger: {
      phrase: inputs.trigger_phrase,
      label: inputs.label_trigger,
      assignee: inputs.assignee_trigger,
      allowedUsers: inputs.allowed_users.map((name) => name.replace(/^@/, '')),
      allowedBots: inputs.allowed_bots.map((name) => name.replace(/^@/, '')),
      allowForks: inputs.allow_forks,
    },
    approvalRequired: inputs.approval_required,
    maxTotalCostUsd: inputs.max_total_cost_usd,
    box: { isolation: inputs.isolation, network: inputs.network, allowedHosts: inputs.allowed_hosts, agentEnv: inputs.agent_env },
    // Verified commits through GitHub's API: always, never, or when the work branch's rules require signatures.
    signCommits: inputs.sign_commits,
    // A GitHub App's installation token pushes and opens the PR, so the PR starts CI.
    app: appCredentials(inputs.app_id, inputs.app_private_key, ctx),
  }));

export type Config = z.output<typeof inputSchema>;
export type BoxConfig = Config['box'];
export type ProviderConfig = Config['provider'];
