/**
 * The environment the agent's commands get, built from an allowlist: what a
 * toolchain needs to run, the locale, and the runner's non-secret facts about
 * the run. Everything else stays out — a job-level `env: NPM_TOKEN: …`, the
 * runner's command files (GITHUB_ENV, GITHUB_OUTPUT, …), RUNNER_TEMP, every
 * INPUT_* — because a variable nobody listed is a variable nobody reviewed.
 */

/** The action's own credentials and the runner's: never passed, whatever agent_env says. */
export const CREDENTIAL_VARIABLES = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'GITHUB_PAT',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
];

/** Variables passed by name. */
const PASSED_NAMES = new Set([
  'PATH',
  // The box sets its own; without one the runner's stay.
  'HOME',
  'USER',
  'LOGNAME',
  'TMPDIR',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TERM',
  'CI',
  'GITHUB_ACTIONS',
  'GITHUB_ACTOR',
  'GITHUB_API_URL',
  'GITHUB_BASE_REF',
  'GITHUB_EVENT_NAME',
  'GITHUB_GRAPHQL_URL',
  'GITHUB_HEAD_REF',
  'GITHUB_JOB',
  'GITHUB_REF',
  'GITHUB_REF_NAME',
  'GITHUB_REF_TYPE',
  'GITHUB_REPOSITORY',
  'GITHUB_REPOSITORY_OWNER',
  'GITHUB_RUN_ATTEMPT',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_NUMBER',
  'GITHUB_SERVER_URL',
  'GITHUB_SHA',
  'GITHUB_WORKFLOW',
  'GITHUB_WORKSPACE',
  'RUNNER_ARCH',
  'RUNNER_ENVIRONMENT',
  'RUNNER_OS',
  'RUNNER_TOOL_CACHE',
  'ImageOS',
  'ImageVersion',
  'GOPATH',
  'GOFLAGS',
  'GOPROXY',
  'NODE_ENV',
  'PYTHONUNBUFFERED',
  'DEBIAN_FRONTEND',
]);

/** Locale, and where toolchains live: `JAVA_HOME_17_X64`, `ANDROID_SDK_ROOT`, `DOTNET_ROOT`, `CARGO_HOME`. */
const PASSED_PATTERN = /^(LC_[A-Z]+|[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_(HOME|ROOT)(_[A-Z0-9]+)*)$/;

/** Names that read like a credential; they pass only when the workflow lists them in `agent_env`. */
const CREDENTIAL_NAME = /TOKEN|SECRET|PASSW|PASSPHRASE|KEY|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|(^|_)PAT($|_)|(^|_)PWD$/i;

export interface AgentEnvOptions {
  source: NodeJS.ProcessEnv;
  /** `agent_env`: further names the workflow passes on purpose. */
  extraNames: string[];
  /** `secret_env` and the action's own credentials: never passed, even when listed. */
  secretNames: string[];
  /** Values never passed under any name (the key, the token). */
  secretValues: string[];
  /** Set by the box: its own home, temporary directory, user and proxy. */
  overrides?: Record<string, string>;
}

export function agentEnv(opts: AgentEnvOptions): NodeJS.ProcessEnv {
  const listed = new Set(opts.extraNames);
  const forbidden = new Set(opts.secretNames.map((name) => name.toUpperCase()));
  const secretValues = new Set(opts.secretValues.filter((value) => value.length >= 8));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(opts.source)) {
    if (value === undefined || forbidden.has(name.toUpperCase()) || /^(INPUT_|ACTIONS_)/i.test(name) || secretValues.has(value)) continue;
    const allowed = listed.has(name) || ((PASSED_NAMES.has(name) || PASSED_PATTERN.test(name)) && !CREDENTIAL_NAME.test(name));
    if (allowed) env[name] = value;
  }
  // git may never prompt: stdin is closed, so a prompt would only hang until the time limit.
  env.GIT_TERMINAL_PROMPT = '0';
  return { ...env, ...opts.overrides };
}

/** Names in `agent_env` that will not pass, and why: said once in the log rather than silently dropped. */
export function refusedAgentEnv(opts: Pick<AgentEnvOptions, 'extraNames' | 'secretNames'>): string[] {
  const forbidden = new Set(opts.secretNames.map((name) => name.toUpperCase()));
  return opts.extraNames
    .filter((name) => forbidden.has(name.toUpperCase()) || /^(INPUT_|ACTIONS_)/i.test(name))
    .map((name) => `agent_env names ${name}, which holds one of the action's own credentials (or is listed in secret_env); it is not passed`);
}
