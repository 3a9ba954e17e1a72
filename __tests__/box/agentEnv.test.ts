import { agentEnv, refusedAgentEnv } from '../../src/box/agentEnv.js';
import { runProcess } from '../../src/exec/runProcess.js';

/** An Actions step's environment as the runner gives it, with a job-level secret the workflow set. */
const source: NodeJS.ProcessEnv = {
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: '/home/runner',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_WORKSPACE: '/home/runner/work/r/r',
  GITHUB_REPOSITORY: 'octo/r',
  GITHUB_SHA: 'abc123',
  RUNNER_OS: 'Linux',
  RUNNER_TOOL_CACHE: '/opt/hostedtoolcache',
  JAVA_HOME_17_X64: '/usr/lib/jvm/temurin-17',
  ANDROID_SDK_ROOT: '/usr/local/lib/android/sdk',
  // The runner's command files and temporary directory: the agent must not write them.
  GITHUB_ENV: '/home/runner/work/_temp/_runner_file_commands/set_env_x',
  GITHUB_PATH: '/home/runner/work/_temp/_runner_file_commands/add_path_x',
  GITHUB_OUTPUT: '/home/runner/work/_temp/_runner_file_commands/set_output_x',
  GITHUB_STEP_SUMMARY: '/home/runner/work/_temp/_runner_file_commands/step_summary_x',
  GITHUB_STATE: '/home/runner/work/_temp/_runner_file_commands/save_state_x',
  GITHUB_EVENT_PATH: '/home/runner/work/_temp/_github_workflow/event.json',
  RUNNER_TEMP: '/home/runner/work/_temp',
  // Credentials of every kind.
  GITHUB_TOKEN: 'ghs_secret',
  GH_TOKEN: 'ghs_secret',
  ANTHROPIC_API_KEY: 'sk-ant-secret',
  ACTIONS_RUNTIME_TOKEN: 'secret',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'secret',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://example.invalid/token',
  INPUT_ANTHROPIC_API_KEY: 'sk-ant-secret',
  INPUT_PROMPT: 'fix it',
  NPM_TOKEN: 'npm_jobleveltoken',
  AWS_SECRET_ACCESS_KEY: 'aws-secret',
  DEPLOY_KEY_HOME: 'looks like a toolchain home, reads like a key',
  SOME_VALUE: 'ghs_secret-copied',
  GIT_TERMINAL_PROMPT: '1',
};

const base = { source, extraNames: [], secretNames: ['GITHUB_TOKEN'], secretValues: ['ghs_secret', 'sk-ant-secret'] };

describe('agentEnv', () => {
  it('passes toolchain, locale and non-secret run facts, and nothing else', () => {
    expect(agentEnv(base)).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/home/runner',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: '/home/runner/work/r/r',
      GITHUB_REPOSITORY: 'octo/r',
      GITHUB_SHA: 'abc123',
      RUNNER_OS: 'Linux',
      RUNNER_TOOL_CACHE: '/opt/hostedtoolcache',
      JAVA_HOME_17_X64: '/usr/lib/jvm/temurin-17',
      ANDROID_SDK_ROOT: '/usr/local/lib/android/sdk',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it('passes what agent_env lists, credential-looking names included, but never the action’s own credentials', () => {
    const env = agentEnv({ ...base, extraNames: ['NPM_TOKEN', 'SOME_VALUE', 'GITHUB_TOKEN', 'INPUT_ANTHROPIC_API_KEY', 'ACTIONS_RUNTIME_TOKEN'] });
    expect(env.NPM_TOKEN).toBe('npm_jobleveltoken');
    expect(env.SOME_VALUE).toBe('ghs_secret-copied');
    expect(env.GITHUB_TOKEN).toBeUndefined();
    expect(env.INPUT_ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.ACTIONS_RUNTIME_TOKEN).toBeUndefined();
    expect(refusedAgentEnv({ extraNames: ['NPM_TOKEN', 'GITHUB_TOKEN', 'INPUT_X'], secretNames: ['GITHUB_TOKEN'] })).toEqual([
      "agent_env names GITHUB_TOKEN, which holds one of the action's own credentials (or is listed in secret_env); it is not passed",
      "agent_env names INPUT_X, which holds one of the action's own credentials (or is listed in secret_env); it is not passed",
    ]);
  });

  it('never passes a known secret value under any name', () => {
    const env = agentEnv({ ...base, source: { ...source, LANG: 'sk-ant-secret' }, extraNames: ['LANG'] });
    expect(env.LANG).toBeUndefined();
  });

  it('lets the box set its own home, temporary directory and proxy, and does not change its source', () => {
    const copy = { ...source };
    const env = agentEnv({ ...base, source: copy, overrides: { HOME: '/tmp/box/home', TMPDIR: '/tmp/box/tmp', HTTPS_PROXY: 'http://127.0.0.1:4000' } });
    expect([env.HOME, env.TMPDIR, env.HTTPS_PROXY]).toEqual(['/tmp/box/home', '/tmp/box/tmp', 'http://127.0.0.1:4000']);
    expect(copy).toEqual(source);
  });

  it('is what a child process sees', async () => {
    const result = await runProcess({ file: 'env', args: [], cwd: process.cwd(), env: agentEnv(base), timeoutMs: 5_000, maxOutputBytes: 100_000 });
    const names = result.output
      .trim()
      .split('\n')
      .map((line) => line.split('=')[0])
      .sort();
    expect(names).toEqual(Object.keys(agentEnv(base)).sort());
    expect(result.output).not.toMatch(/secret|npm_job|_temp/);
  });
});
