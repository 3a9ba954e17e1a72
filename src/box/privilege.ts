import { runProcess, type ProcessResult } from '../exec/runProcess.js';

/** How the action reaches root to build the box: it is root already (a container, this machine), or `sudo -n` works (GitHub-hosted Linux runners). */
export type RootAccess = { kind: 'root' } | { kind: 'sudo' } | { kind: 'none'; reason: string };

const PROBE_MS = 10_000;
/** Enough for the action's own short commands; chown of a large workspace is the slowest. */
const ROOT_COMMAND_MS = 120_000;

/** Only what root's tools need: no credential of the action's reaches a root process. */
export function rootEnv(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: source.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
}

export async function findRootAccess(env: NodeJS.ProcessEnv): Promise<RootAccess> {
  if (process.getuid?.() === 0) return { kind: 'root' };
  const probe = await runProcess({ file: 'sudo', args: ['-n', 'true'], cwd: '/', env: rootEnv(env), timeoutMs: PROBE_MS, maxOutputBytes: 4_000 });
  if (probe.exitCode === 0) return { kind: 'sudo' };
  const why = probe.output.includes('failed to start')
    ? 'sudo is not installed'
    : `sudo -n true failed: ${probe.output.trim().split('\n')[0] || `exit ${probe.exitCode}`}`;
  return { kind: 'none', reason: `the action is not root and cannot become root (${why})` };
}

/** The program and arguments that run `argv` as root. */
export function asRootArgv(access: RootAccess, argv: string[]): { file: string; args: string[] } {
  return access.kind === 'sudo' ? { file: 'sudo', args: ['-n', '--', ...argv] } : { file: argv[0]!, args: argv.slice(1) };
}

/** Runs a short command as root from an argument array; the result, never a throw. */
export function runAsRoot(access: RootAccess, argv: string[], env: NodeJS.ProcessEnv, timeoutMs = ROOT_COMMAND_MS): Promise<ProcessResult> {
  return runProcess({ ...asRootArgv(access, argv), cwd: '/', env: rootEnv(env), timeoutMs, maxOutputBytes: 20_000 });
}

/** As runAsRoot, but a failure is an error that names the command. */
export async function mustRunAsRoot(access: RootAccess, argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await runAsRoot(access, argv, env);
  if (result.exitCode !== 0)
    throw new Error(
      `${argv.join(' ')} failed (${result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signalName}`}): ${result.output.trim().slice(-500)}`,
    );
  return result.output;
}
