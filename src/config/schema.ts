import { z } from 'zod';
import {
  commandLines,
  identity,
  nameList,
  refName,
  regexLines,
  modelName,
  optionalUrl,
  positiveNumber,
  priceOverride,
  wholeNumber,
} from './fields.js';

/**
 * Every action input, with the default used when it is empty. action.yml
 * declares the same names and defaults; a test keeps the two in step.
 */
export const INPUT_DEFAULTS = {
  anthropic_api_key: '',
  anthropic_base_url: '',
  github_token: '',
  model: 'claude-sonnet-5-5',
  model_prices: '',
  prompt: '',
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
} as const;

export type InputName = keyof typeof INPUT_DEFAULTS;
export const INPUT_NAMES = Object.keys(INPUT_DEFAULTS) as InputName[];

export const inputSchema = z
  .object({
    anthropic_api_key: z.string().min(1, {
      message: 'anthropic_api_key must be set (pass ${{ secrets.ANTHROPIC_API_KEY }}), got an empty value',
    }),
    anthropic_base_url: optionalUrl('anthropic_base_url'),
    github_token: z.string(),
    model: modelName('model'),
    model_prices: priceOverride('model_prices'),
    prompt: z.string(),
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
  } satisfies Record<InputName, z.ZodType>)
  .transform((inputs) => ({
    apiKey: inputs.anthropic_api_key,
    baseUrl: inputs.anthropic_base_url,
    githubToken: inputs.github_token,
    model: inputs.model,
    priceOverride: inputs.model_prices,
    prompt: inputs.prompt.trim(),
    verify: inputs.verify,
    budget: {
      maxSteps: inputs.max_steps,
      maxMinutes: inputs.max_minutes,
      maxTokens: inputs.max_tokens,
      maxCostUsd: inputs.max_cost_usd,
    },
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
  }));

export type Config = z.output<typeof inputSchema>;
export type BudgetLimits = Config['budget'];
