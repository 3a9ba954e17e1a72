import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectFormat } from './gitObjects.js';
import { gitText, pushAuthConfig, resolveGitBinary, runGit, safeGitEnv, type GitResult, type SafeGit } from './safeGit.js';

/**
 * The git directory the action publishes from. It lives under RUNNER_TEMP
 * (outside the workspace), holds only objects the action put there, and
 * every command in it runs with the action's own config. The agent's
 * repository is only ever read: its config, hooks, index and commits never
 * decide what is pushed, or run while a credential is in scope.
 */
export interface CleanRoom {
  /** The bare repository. */
  gitDir: string;
  /** git in the room, without any credential. */
  git: SafeGit;
  /** git in the workspace (hardened the same way, no credential), for the steps before the agent and the local entry. */
  workspaceGit: SafeGit;
  /** The workspace's real path, and its git directory as it was before the agent ran. */
  workspace: string;
  workspaceGitDir: string;
  /** Where the work is pushed: origin as it was before the agent ran, never what the agent's config says later. */
  originUrl?: string;
  objectFormat: ObjectFormat;
  /** A directory for the room's temporary files (indexes, messages). */
  scratch: string;
  /** git in the room with the token as command-scoped config: only for commands that talk to origin. */
  remoteGit: SafeGit;
  /** The room's config files as written, checked before every command that talks to origin. */
  configs: Array<{ path: string; content: string }>;
  dispose(): Promise<void>;
}

export async function openCleanRoom(opts: {
  workspace: string;
  tempDir: string;
  env: NodeJS.ProcessEnv;
  token: string;
  serverUrl: string;
  /** `owner/repo`: an https origin is pinned to this repository on serverUrl. */
  repository?: { owner: string; repo: string };
}): Promise<CleanRoom> {
  const binary = resolveGitBinary(opts.env.PATH);
  await mkdir(opts.tempDir, { recursive: true });
  const root = await mkdtemp(join(opts.tempDir, 'nightshift-room-'));
  const home = join(root, 'home');
  const scratch = join(root, 'scratch');
  const gitDir = join(root, 'repo.git');
  await mkdir(home, { recursive: true });
  await mkdir(scratch, { recursive: true });
  // Our only "global" config: ownership checks pass for the workspace even when another user owns its files.
  const globalConfig = join(home, 'gitconfig');
  await writeFile(globalConfig, `[safe]\n\tdirectory = ${quote(opts.workspace)}\n\tdirectory = ${quote(gitDir)}\n`);
  const envFor = (vars: Record<string, string>, extra?: Array<readonly [string, string]>) => safeGitEnv({ source: opts.env, home, globalConfig, vars, extra });

  const workspaceGit: SafeGit = { binary, cwd: opts.workspace, env: envFor({}) };
  const workspaceGitDir = await gitText(workspaceGit, ['rev-parse', '--absolute-git-dir']);
  const format = await runGit(workspaceGit, ['rev-parse', '--show-object-format']);
  const objectFormat: ObjectFormat = format.stdout.toString().trim() === 'sha256' ? 'sha256' : 'sha1';
  const initGit: SafeGit = { binary, cwd: root, env: envFor({}) };
  await gitText(initGit, ['init', '--quiet', '--bare', '--template=', `--object-format=${objectFormat}`, gitDir]);
  const configured = await runGit(workspaceGit, ['config', '--local', '--get', 'remote.origin.url']);
  const originUrl = pinnedOrigin(configured.exitCode === 0 ? configured.stdout.toString().trim() : '', opts.serverUrl, opts.repository);

  const git: SafeGit = { binary, cwd: gitDir, env: envFor({ GIT_DIR: gitDir }) };
  const remoteGit: SafeGit = { binary, cwd: gitDir, env: envFor({ GIT_DIR: gitDir }, pushAuthConfig(opts.token, opts.serverUrl)) };
  const configs = await Promise.all([join(gitDir, 'config'), globalConfig].map(async (path) => ({ path, content: await readFile(path, 'utf8') })));
  const room: CleanRoom = {
    gitDir,
    git,
    workspaceGit,
    workspace: opts.workspace,
    workspaceGitDir,
    originUrl,
    objectFormat,
    scratch,
    remoteGit,
    configs,
    dispose: () => rm(root, { recursive: true, force: true }),
  };
  // What the checkout already holds, copied while the workspace is still as actions/checkout left it, so
  // later fetches from origin only bring what is new (the checkout is often shallow).
  await fromWorkspace(room, ['+HEAD:refs/nightshift/checkout', '+refs/remotes/origin/*:refs/remotes/origin/*']);
  return room;
}

/**
 * An https origin goes to this repository on this server, whatever the URL
 * said: the token is for it and nothing else. Other URLs (a path, ssh) are
 * kept; git only ever sends the token to serverUrl.
 */
export function pinnedOrigin(url: string, serverUrl: string, repository?: { owner: string; repo: string }): string | undefined {
  if (url === '') return undefined;
  if (/^https?:\/\//i.test(url) && repository) return `${serverUrl.replace(/\/+$/, '')}/${repository.owner}/${repository.repo}.git`;
  return url;
}

/** Copies refs from the workspace into the room (before the agent runs: afterwards the workspace is only read as files). */
export function fromWorkspace(room: CleanRoom, refspecs: string[]): Promise<GitResult> {
  return runGit(room.git, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--update-shallow', '--no-auto-gc', room.workspace, ...refspecs]);
}

/** Copies refs from the room into the workspace, before the agent runs. */
export function toWorkspace(room: CleanRoom, refspecs: string[]): Promise<GitResult> {
  return runGit(room.workspaceGit, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--update-shallow', '--no-auto-gc', room.gitDir, ...refspecs]);
}

/** Fetches from origin into the room: the only place a fetch carries the token. */
export function fetchOrigin(room: CleanRoom, refspecs: string[]): Promise<GitResult> {
  return withOrigin(room, (url) => runGit(room.remoteGit, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-gc', url, ...refspecs]));
}

/** Pushes from the room to origin, to the URL fixed before the agent ran. */
export function pushOrigin(room: CleanRoom, args: string[]): Promise<GitResult> {
  return withOrigin(room, (url) => runGit(room.remoteGit, ['push', '--quiet', '--porcelain', '--no-verify', url, ...args]));
}

/** `git ls-remote --heads` against origin. */
export function listOriginHeads(room: CleanRoom, pattern: string): Promise<GitResult> {
  return withOrigin(room, (url) => runGit(room.remoteGit, ['ls-remote', '--heads', url, pattern]));
}

/**
 * Runs a command that carries the token, if the room is as the action left
 * it. Command-scoped config wins over the room's files, but not every key can
 * be neutralised that way (`url.<x>.insteadOf` rewrites where a push goes), so
 * a config file that changed — only a process of the same user could change
 * it — or a `commondir` pointing elsewhere stops the command.
 */
async function withOrigin(room: CleanRoom, command: (url: string) => Promise<GitResult>): Promise<GitResult> {
  if (!room.originUrl) return failure('the workspace has no origin remote');
  for (const { path, content } of room.configs) {
    if ((await readFile(path, 'utf8').catch(() => '')) !== content)
      return failure(`the clean room's config (${path}) was changed by someone else; nothing is sent with the token`);
  }
  if (
    await access(join(room.gitDir, 'commondir')).then(
      () => true,
      () => false,
    )
  )
    return failure("the clean room's git directory was changed by someone else; nothing is sent with the token");
  return command(room.originUrl);
}

function failure(message: string): GitResult {
  return { exitCode: 128, stdout: Buffer.alloc(0), stderr: message, timedOut: false };
}

function quote(path: string): string {
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * git in the room with another token for origin (a GitHub App's installation
 * token minted after the room opened): the room's own token-free
 * environment with that token's command-scoped header, and no other.
 */
export function withPushToken(room: CleanRoom, token: string, serverUrl: string): SafeGit {
  const env = { ...room.git.env };
  let count = Number(env.GIT_CONFIG_COUNT ?? '0');
  for (const [key, value] of pushAuthConfig(token, serverUrl)) {
    env[`GIT_CONFIG_KEY_${count}`] = key;
    env[`GIT_CONFIG_VALUE_${count}`] = value;
    count += 1;
  }
  env.GIT_CONFIG_COUNT = String(count);
  return { ...room.git, env };
}
