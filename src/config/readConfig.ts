import { INPUT_DEFAULTS, INPUT_NAMES, inputSchema, type Config, type InputName } from './schema.js';

/** Raised before any model call when inputs are bad; lists every bad input at once. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? `Invalid input: ${problems[0]}` : `Invalid inputs:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The variable the runner (through our composite step's `env:`) sets for an input. */
export function inputVariable(name: InputName): string {
  return `INPUT_${name.toUpperCase()}`;
}

/**
 * Reads every input from `INPUT_*` variables (empty means "use the default")
 * and validates them together with one zod schema.
 */
export function readConfig(env: NodeJS.ProcessEnv, overrides: Partial<Record<InputName, string>> = {}): Config {
  const raw: Record<string, string> = {};
  for (const name of INPUT_NAMES) {
    const given = overrides[name] ?? env[inputVariable(name)] ?? '';
    raw[name] = given.trim() === '' ? INPUT_DEFAULTS[name] : given;
  }
  const result = inputSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => issue.message));
  }
  return result.data;
}

/**
 * The key, for a run that is about to call the model. Checked there rather than with the
 * other inputs: plan mode makes no model call, and an event that ends skipped or refused
 * (a fork's event carries no secrets) should say so, not ask for a key it never needed.
 */
export function requireApiKey(config: Config): string {
  if (config.apiKey === '') {
    throw new ConfigError([
      'anthropic_api_key must be set for a run that calls the model (pass a repository secret such as ANTHROPIC_API_KEY), got an empty value',
    ]);
  }
  return config.apiKey;
}
