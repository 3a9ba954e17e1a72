/** Credentials the runner or the workflow may hold; none of them belongs in a child process. */
const SECRET_NAMES = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GITHUB_PAT',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_CACHE_URL',
];

/**
 * The environment every program we start gets: the runner's, minus its
 * tokens, every action input (INPUT_* may carry keys) and any names the
 * workflow declares secret; git may never prompt for credentials.
 */
export function scrubbedEnv(source: NodeJS.ProcessEnv, extraSecretNames: string[] = []): NodeJS.ProcessEnv {
  const drop = new Set([...SECRET_NAMES, ...extraSecretNames.map((name) => name.toUpperCase())]);
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined || name.startsWith('INPUT_') || drop.has(name.toUpperCase())) continue;
    env[name] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}
