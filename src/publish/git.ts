import { runProcess, type ProcessResult } from '../exec/runProcess.js';

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly result: ProcessResult,
  ) {
    super(`git ${args.join(' ')} failed (exit ${result.exitCode ?? result.signalName}): ${result.output.trim().slice(-2_000)}`);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Runs git with an argument array; returns the result whatever the exit code. */
export function tryGit(opts: GitOptions, args: string[], timeoutMs = 120_000): Promise<ProcessResult> {
  return runProcess({ file: 'git', args, cwd: opts.cwd, env: opts.env, timeoutMs, maxOutputBytes: 1_000_000 });
}

/** Runs git and returns its output, or throws a GitError naming the command. */
export async function git(opts: GitOptions, args: string[], timeoutMs?: number): Promise<string> {
  const result = await tryGit(opts, args, timeoutMs);
  if (result.exitCode !== 0) throw new GitError(args, result);
  return result.output;
}

/**
 * An environment that lets one git command authenticate to GitHub over HTTPS
 * without the token touching .git/config or the command line (where `ps` would
 * show it): git reads GIT_CONFIG_COUNT/KEY/VALUE as command-scoped config.
 */
export function withPushAuth(env: NodeJS.ProcessEnv, token: string, serverUrl: string): NodeJS.ProcessEnv {
  if (token === '') return env;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return {
    ...env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `http.${serverUrl.replace(/\/+$/, '')}/.extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}
