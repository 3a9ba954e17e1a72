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
 * workflow declares secret. Names compare case-insensitively, so a
 * `github_token` spelling does not slip through. git may never prompt for
 * credentials: with stdin closed a prompt would only hang until the timeout.
 */
export function scrubbedEnv(source: NodeJS.ProcessEnv, extraSecretNames: string[] = []): NodeJS.ProcessEnv {
  const drop = new Set([...SECRET_NAMES, ...extraSecretNames].map((name) => name.toUpperCase()));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(source)) {
    const upper = name.toUpperCase();
    if (value === undefined || upper.startsWith('INPUT_') || drop.has(upper)) continue;
    env[name] = value;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}
