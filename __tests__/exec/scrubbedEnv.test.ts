import { runProcess } from '../../src/exec/runProcess.js';
import { scrubbedEnv } from '../../src/exec/scrubbedEnv.js';

const source: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/runner',
  GITHUB_WORKSPACE: '/home/runner/work/r/r',
  GITHUB_TOKEN: 'ghs_secret',
  GH_TOKEN: 'ghs_secret',
  GITHUB_PAT: 'ghp_secret',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  ANTHROPIC_AUTH_TOKEN: 'secret',
  ACTIONS_RUNTIME_TOKEN: 'secret',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'secret',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://example.invalid/token',
  ACTIONS_RESULTS_URL: 'https://example.invalid/results',
  ACTIONS_RUNTIME_URL: 'https://example.invalid/runtime',
  INPUT_ANTHROPIC_API_KEY: 'sk-ant-secret',
  INPUT_PROMPT: 'fix it',
  github_token: 'lower-case-secret',
  NPM_TOKEN: 'npm_secret',
  GIT_TERMINAL_PROMPT: '1',
};

describe('scrubbedEnv', () => {
  it('drops tokens, action inputs and declared secrets, keeps the rest, and stops git prompting', () => {
    expect(scrubbedEnv(source, ['npm_token'])).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/home/runner',
      GITHUB_WORKSPACE: '/home/runner/work/r/r',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it('does not change its source', () => {
    const copy = { ...source };
    scrubbedEnv(copy);
    expect(copy).toEqual(source);
  });

  it('is what a child process sees', async () => {
    const result = await runProcess({
      file: 'env', args: [], cwd: process.cwd(), env: scrubbedEnv(source, ['NPM_TOKEN']), timeoutMs: 5_000, maxOutputBytes: 100_000,
    });
    expect(result.output.trim().split('\n').sort()).toEqual([
      'GITHUB_WORKSPACE=/home/runner/work/r/r',
      'GIT_TERMINAL_PROMPT=0',
      'HOME=/home/runner',
      'PATH=/usr/local/bin:/usr/bin:/bin',
    ]);
  });
});
