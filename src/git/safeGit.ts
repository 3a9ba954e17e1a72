import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * git as the action runs it: never as an instrument of the repository it
 * reads. The environment is built from an allowlist (no credential, no
 * GIT_* from outside), system and global config are off (the "global" file
 * is ours), and command-scoped config — which wins over every file a
 * repository or a home directory holds — turns off everything that runs
 * code or rewrites content: hooks, fsmonitor, filters' attributes, askpass,
 * credential helpers, ssh commands.
 */
export interface SafeGit {
  /** Absolute path of git, resolved before the agent ran (a planted `git` on PATH is never used). */
  binary: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface GitResult {
  exitCode: number | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export class SafeGitError extends Error {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    const why = result.timedOut ? 'timed out' : `exit ${result.exitCode}`;
    super(`git ${args.join(' ')} failed (${why}): ${outputOf(result).trim().slice(-2_000)}`);
    this.name = 'SafeGitError';
  }
}

/** Config every command gets with command scope, so no repository or home file can override it. */
export const SAFE_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.untrackedCache', 'false'],
  ['core.attributesFile', '/dev/null'],
  ['core.excludesFile', '/dev/null'],
  ['core.autocrlf', 'false'],
  ['core.safecrlf', 'false'],
  ['core.symlinks', 'true'],
  ['core.fileMode', 'true'],
  ['core.ignoreCase', 'false'],
  ['core.precomposeUnicode', 'false'],
  ['core.protectNTFS', 'true'],
  ['core.protectHFS', 'true'],
  ['core.askPass', ''],
  ['core.sshCommand', 'ssh'],
  ['core.pager', 'cat'],
  ['credential.helper', ''],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['push.gpgSign', 'false'],
  ['fetch.recurseSubmodules', 'false'],
  ['push.recurseSubmodules', 'no'],
  ['submodule.recurse', 'false'],
  ['protocol.ext.allow', 'never'],
  ['advice.detachedHead', 'false'],
];

/** Variables git may need from the runner to reach a server; nothing else passes. */
const PASSED = /^(PATH|LANG|LC_[A-Z]+|TMPDIR|TZ|(HTTPS?|ALL|NO)_PROXY|(https?|all|no)_proxy|SSL_CERT_(FILE|DIR)|SSH_AUTH_SOCK)$/;

/**
 * The environment for the action's git commands. `home` is a directory the
 * action owns: HOME and XDG_CONFIG_HOME point there (no `~/.gitconfig`,
 * `~/.config/git/*` or `~/.netrc` of the agent's), and `globalConfig` — a file
 * in it — is the only global config. `extra` adds command-scoped config
 * after SAFE_CONFIG (the push credential, for the one command that needs it).
 */
export function safeGitEnv(opts: {
  source: NodeJS.ProcessEnv;
  home: string;
  globalConfig: string;
  vars?: Record<string, string>;
  extra?: Array<readonly [string, string]>;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(opts.source)) if (value !== undefined && PASSED.test(name)) env[name] = value;
  const config = [...SAFE_CONFIG, ...(opts.extra ?? [])];
  Object.assign(env, {
    HOME: opts.home,
    XDG_CONFIG_HOME: join(opts.home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: opts.globalConfig,
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(config.length),
    ...opts.vars,
  });
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** The command-scoped header that authenticates to `serverUrl` (and only there: git matches it by URL). */
export function pushAuthConfig(token: string, serverUrl: string): Array<readonly [string, string]> {
  if (token === '') return [];
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return [[`http.${serverUrl.replace(/\/+$/, '')}/.extraheader`, `AUTHORIZATION: basic ${basic}`]];
}

/** git's absolute path from PATH as it is now (call before the agent can write anywhere on PATH). */
export function resolveGitBinary(path: string | undefined): string {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, 'git');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  throw new Error(`git was not found on PATH (${path ?? 'unset'}); Nightshift needs git to prepare and publish the work`);
}

/**
 * Runs one git command: argument array, stdin from `input` (or closed),
 * binary stdout, its own process group killed at the time limit. Never rejects.
 *
 * Started here, not through @actions/exec (3.0.0): that has no time limit and
 * hands back no process or pid to kill (actions/toolkit#1656 and #1777 ask for
 * both), and it starts git in our own process group. Every git command here
 * has a limit, and needs it: a push or fetch stuck on the network, or a
 * `hash-object` blocked on a FIFO the agent left, would hang the run, and
 * the helpers git starts (git-remote-https, ssh, an alias's shell) must die
 * with it. It also leaves stdin an open pipe when there is no input (a git
 * that reads stdin would wait for ever) and rejects where this resolves.
 * Its stdout listener does give exact bytes; the time limit decides.
 */
export function runGit(
  git: SafeGit,
  args: string[],
  opts: { input?: Buffer | string; timeoutMs?: number; vars?: Record<string, string> } = {},
): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn(git.binary, args, {
      cwd: git.cwd,
      env: { ...git.env, ...opts.vars },
      detached: true,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, opts.timeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 100_000) stderr += chunk.toString();
    });
    if (opts.input !== undefined) {
      // A command that exits without reading all of its input must not crash us with EPIPE.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, stdout: Buffer.alloc(0), stderr: error.message, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, stdout: Buffer.concat(stdout), stderr, timedOut });
    });
  });
}

/** Runs git and returns stdout, or throws a SafeGitError naming the command. */
export async function gitOk(git: SafeGit, args: string[], opts?: Parameters<typeof runGit>[2]): Promise<Buffer> {
  const result = await runGit(git, args, opts);
  if (result.exitCode !== 0) throw new SafeGitError(args, result);
  return result.stdout;
}

/** Like gitOk, as trimmed text. */
export async function gitText(git: SafeGit, args: string[], opts?: Parameters<typeof runGit>[2]): Promise<string> {
  return (await gitOk(git, args, opts)).toString('utf8').trim();
}

/** What git said, stdout then stderr, for messages. */
export function outputOf(result: GitResult): string {
  return `${result.stdout.toString('utf8')}\n${result.stderr}`;
}
