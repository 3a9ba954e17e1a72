import { ConfigError, readConfig } from '../../src/config/readConfig.js';

/** The minimal inputs a run reads: a key, so only the input under test can be wrong. */
export const BASE_INPUTS = { INPUT_ANTHROPIC_API_KEY: 'sk-test' };

/** The problems readConfig reports for these inputs (on top of BASE_INPUTS); fails the test when it reports none. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    readConfig({ ...BASE_INPUTS, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
