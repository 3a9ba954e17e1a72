import { ConfigError, readConfig } from '../../src/config/readConfig.js';
import { modelAccess } from '../../src/model/access.js';
import { BASE_INPUTS, configProblems } from '../support/configProblems.js';

const base = BASE_INPUTS;

const problems = configProblems;

describe('readConfig', () => {
  it('applies the documented defaults when inputs are empty', () => {
    const config = readConfig({ ...base, INPUT_MAX_STEPS: '  ' });
    expect(config.model).toBe('claude-sonnet-5-5');
    expect(config.budget).toEqual({ maxSteps: 60, maxMinutes: 30, maxTokens: 3_000_000, maxCostUsd: 5 });
    expect(config.verify).toEqual([]);
    expect(config.baseUrl).toBeUndefined();
  });

  it('parses every input it is given', () => {
    const config = readConfig({
      ...base,
      INPUT_ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999/',
      INPUT_MODEL: 'claude-haiku-4-5',
      INPUT_PROMPT: '  Fix the bug  ',
      INPUT_VERIFY: 'npm ci\n\n# a comment\nnpm test\n',
      INPUT_MAX_STEPS: '3',
      INPUT_MAX_MINUTES: '0.5',
      INPUT_MAX_TOKENS: '20_000',
      INPUT_MAX_COST_USD: '$0.25',
      INPUT_MODEL_PRICES: '{"input": 1, "output": 5}',
      INPUT_COMMAND_TIMEOUT_SECONDS: '30',
    });
    expect(config).toMatchObject({
      baseUrl: 'http://127.0.0.1:9999',
      model: 'claude-haiku-4-5',
      prompt: 'Fix the bug',
      verify: ['npm ci', 'npm test'],
      budget: { maxSteps: 3, maxMinutes: 0.5, maxTokens: 20_000, maxCostUsd: 0.25 },
      priceOverride: { input: 1, output: 5 },
      commandTimeoutMs: 30_000,
    });
  });

  it('names the input, the value and what was expected', () => {
    expect(problems({ INPUT_MAX_STEPS: '-3' })).toEqual(['max_steps must be a whole number ≥ 1, got -3']);
    expect(problems({ INPUT_MAX_TOKENS: '1e6' })).toEqual(['max_tokens must be a whole number ≥ 1000, got 1e6']);
    expect(problems({ INPUT_MAX_MINUTES: 'ten' })).toEqual(['max_minutes must be a number of minutes greater than 0, got ten']);
    expect(problems({ INPUT_MAX_COST_USD: '0' })).toEqual(['max_cost_usd must be a number of dollars greater than 0, got 0']);
    expect(problems({ INPUT_ANTHROPIC_BASE_URL: 'ftp://x' })).toEqual([
      'anthropic_base_url must be an http(s) URL such as https://api.anthropic.com, got ftp://x',
    ]);
    expect(problems({ INPUT_MODEL_PRICES: '{"input": "cheap"}' })).toEqual([
      'model_prices must be JSON like {"input": 3, "output": 15} with non-negative numbers (dollars per million tokens), got "{\\"input\\": \\"cheap\\"}"',
    ]);
    expect(problems({ INPUT_MODEL: 'claude sonnet' })).toEqual(['model must be a model id such as claude-sonnet-5-5, got "claude sonnet"']);
  });

  it('reports every bad input together, in one error', () => {
    let caught: unknown;
    try {
      readConfig({ INPUT_MAX_STEPS: '0', INPUT_MAX_MINUTES: '-1', INPUT_MAX_OUTPUT_TOKENS: 'lots' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toBe(
      [
        'Invalid inputs:',
        '  - max_steps must be a whole number ≥ 1, got 0',
        '  - max_minutes must be a number of minutes greater than 0, got -1',
        '  - max_output_tokens must be a whole number from 256 to 128000, got lots',
      ].join('\n'),
    );
  });

  it('asks for the API key only where the model is called, naming the input', () => {
    const keyless = readConfig({ INPUT_MODE: 'plan' });
    expect(keyless.mode).toBe('plan');
    expect(() => modelAccess(readConfig({ INPUT_ANTHROPIC_API_KEY: '  ' }), {})).toThrow(
      'Invalid input: anthropic_api_key must be set for a run that calls the model (pass a repository secret such as ANTHROPIC_API_KEY), got an empty value',
    );
    expect(modelAccess(readConfig({ INPUT_ANTHROPIC_API_KEY: ' sk-test ' }), {})).toMatchObject({
      provider: 'anthropic',
      apiKey: 'sk-test',
      secrets: ['sk-test'],
    });
  });

  it('reads who may trigger as GitHub writes logins, with or without the @', () => {
    const config = readConfig({ ...base, INPUT_ALLOWED_USERS: '@alice, bob', INPUT_ALLOWED_BOTS: '@dependabot[bot]\nrenovate[bot]' });
    expect(config.trigger.allowedUsers).toEqual(['alice', 'bob']);
    expect(config.trigger.allowedBots).toEqual(['dependabot[bot]', 'renovate[bot]']);
  });
});
