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
