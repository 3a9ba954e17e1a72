import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BoxConfig } from '../config/schema.js';
import { allowedHosts } from '../egress/allowedHosts.js';
import { startEgressProxy, type EgressProxy } from '../egress/egressProxy.js';
import { runProcess, type ProcessOptions, type ProcessResult } from '../exec/runProcess.js';
import type { BoxRecord } from '../records/report.js';
import { errorMessage } from '../text/errorMessage.js';
import { KeeperClient } from './keeperClient.js';
import { removeLeftovers } from './leftovers.js';
import { findRootAccess, mustRunAsRoot, runAsRoot, type RootAccess } from './privilege.js';
import { grantTraverse } from './traverse.js';
import { keepPrivate } from './keepPrivate.js';

/** Where the agent's commands run, and how that ends. */
export interface Box {
  /** Starts a process in the box; undefined without one (the tools then start processes here). */
  exec?: (opts: ProcessOptions) => Promise<ProcessResult>;
  /** Set on the agent's environment: the box's home, temporary directory, user and proxy. */
  envOverrides: Record<string, string>;
  /** One line for the log: where the agent's commands run. */
  description: string;
  /** Kills everything the agent started, checks nothing is left, gives the workspace back; safe to call twice. */
  close(): Promise<BoxRecord>;
}

class BoxRequiredError extends Error {
  constructor(reason: string) {
    super(
      `isolation is set to user, but this runner cannot give the agent a box of its own: ${reason}. Run on a Linux runner where the action is root or has passwordless sudo (GitHub-hosted Ubuntu runners do), or set isolation: none`,
    );
    this.name = 'BoxRequiredError';
  }
}

/**
 * Opens the box the workflow asked for. `isolation: user` made explicit must
 * be met or the run stops; the default falls back to no box, with a notice
 * in the record (which the log and summary show once).
 */
export async function openBox(opts: {
  config: BoxConfig;
  workspace: string;
  env: NodeJS.ProcessEnv;
  serverUrl: string;
  entry: { node: string; script: string };
  /** The run's own files in the workspace (a provider's credentials file): the runner's user's alone, mode 600, while the box stands. */
  privateFiles?: string[];
}): Promise<Box> {
  const network = opts.config.network;
  if (opts.config.isolation.mode === 'none') {
    return noBox({
      isolation: 'none',
      network,
      enforced: network === 'open',
      egress: [],
      notice:
        network === 'open'
          ? undefined
          : `network: ${network} is enforced only in the box; with isolation: none the agent's commands reach whatever the runner reaches`,
    });
  }
  const reason =
    process.platform !== 'linux' ? `a ${process.platform === 'darwin' ? 'macOS' : process.platform} runner has no PID or network namespaces` : undefined;
  const access: RootAccess = reason ? { kind: 'none', reason } : await findRootAccess(opts.env);
  try {
    if (access.kind === 'none') throw new Error(access.reason);
    return await makeBox({ ...opts, access });
  } catch (error) {
    const why = (error as Error).message;
    if (opts.config.isolation.required) throw new BoxRequiredError(why);
    return noBox({
      isolation: 'none',
      network,
      enforced: network === 'open',
      egress: [],
      notice: `the agent's commands run without a box (as the runner's user, with no network limit): ${why}. Set isolation: user to require the box, or isolation: none to say this is intended`,
    });
  }
}

function allowedHostsCount(proxy: EgressProxy | undefined): number {
  return proxy?.allowed.length ?? 0;
}

function noBox(record: BoxRecord): Box {
  return {
    envOverrides: {},
    description: `the agent's commands run as the runner's user (isolation: none; network: ${record.enforced ? 'open' : `${record.network}, not enforced`})`,
    close: async () => record,
  };
}

type BoxOptions = Parameters<typeof openBox>[0] & { access: RootAccess };

/**
 * What opening the box did, taken back last-first when it closes (or when
 * opening fails half-way). A step that fails does not stop the ones after it.
 */
type Undo = Array<() => Promise<unknown>>;

async function unwind(undo: Undo): Promise<void> {
  for (const step of undo.reverse()) await step().catch(() => undefined);
  undo.length = 0;
}

async function makeBox(opts: BoxOptions): Promise<Box> {
  const undo: Undo = [];
  try {
    const agent = await createAgentUser(opts, undo);
    const leftovers = removeLeftoversOnClose(opts, agent, undo);
    await handOverWorkspace(opts, agent, undo);
    const network = opts.config.network;
    const proxy = network === 'allowlist' ? await startProxy(opts, undo) : undefined;
    const { keeper, proxyPort } = await KeeperClient.start({
      access: opts.access,
      env: opts.env,
      entry: opts.entry,
      agent: { uid: agent.uid, gid: agent.gid },
      ownNetwork: network !== 'open',
      forwardTo: proxy?.address,
    });

    let record: BoxRecord | undefined;
    return {
      exec: (processOptions) => keeper.exec(processOptions),
      envOverrides: boxEnv(agent, proxyPort),
      description: boxDescription(agent.user, network, proxy),
      close: async () => {
        if (record) return record;
        const closed = await keeper.close();
        const egress = proxy?.records() ?? [];
        await unwind(undo);
        record = {
          isolation: 'user',
          user: agent.user,
          network,
          enforced: true,
          egress,
          killed: closed.killed + keeper.strays,
          left: closed.left,
          files: leftovers(),
          notice: closed.lost ? `the box's keeper was lost (${closed.lost}); it was killed from outside, which ends its PID namespace` : undefined,
        };
        return record;
      },
    };
  } catch (error) {
    await unwind(undo);
    throw error;
  }
}

/** The box's user, with a home and a temporary directory of its own. */
interface AgentUser {
  user: string;
  uid: number;
  gid: number;
  /** Holds `home` and `tmp`; removed when the box closes. */
  dir: string;
  home: string;
  temp: string;
}

/** A user of its own per run: two runs on one self-hosted machine cannot reach each other's work. */
async function createAgentUser({ access, env }: BoxOptions, undo: Undo): Promise<AgentUser> {
  const user = `nightshift-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(join(tmpdir(), 'nightshift-box-'));
  undo.push(() => runAsRoot(access, ['rm', '-rf', '--', dir], env));
  await chmod(dir, 0o711);
  const home = join(dir, 'home');
  const temp = join(dir, 'tmp');
  await mkdir(home, { mode: 0o700 });
  await mkdir(temp, { mode: 0o700 });
  await mustRunAsRoot(access, ['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', home, '--shell', '/usr/sbin/nologin', user], env);
  undo.push(() => runAsRoot(access, ['userdel', user], env));
  const uid = Number((await mustRunAsRoot(access, ['id', '-u', user], env)).trim());
  const gid = Number((await mustRunAsRoot(access, ['id', '-g', user], env)).trim());
  await mustRunAsRoot(access, ['chown', `${uid}:${gid}`, home, temp], env);
  return { user, uid, gid, dir, home, temp };
}

/**
 * Files the agent's user left in the shared temporary directories are removed
 * when the box closes; returns how that went (undefined until then). Pushed
 * before the workspace is handed over, so it runs after the workspace is
 * given back (undo runs in reverse) and nothing in it is the agent's any more.
 */
function removeLeftoversOnClose({ access, env, workspace }: BoxOptions, agent: AgentUser, undo: Undo): () => { removed: number; left: number } | undefined {
  let leftovers: { removed: number; left: number } | undefined;
  undo.push(async () => {
    leftovers = await removeLeftovers({ access, env, uid: agent.uid, keep: [workspace, agent.dir] });
  });
  return () => leftovers;
}

/** The workspace is the one place the agent writes; it is given back whole (to its owner) when the box closes. */
async function handOverWorkspace({ access, env, workspace, privateFiles }: BoxOptions, { uid, gid }: AgentUser, undo: Undo): Promise<void> {
  const owner = await stat(workspace);
  await mustRunAsRoot(access, ['chown', '-R', '-h', '-P', `${uid}:${gid}`, '--', workspace], env);
  const kept: { undo?: () => Promise<void> } = {};
  // The run's own files are put back once the workspace is its owner's again (so the action can write there without root).
  undo.push(async () => {
    await mustRunAsRoot(access, ['chown', '-R', '-h', '-P', `${owner.uid}:${owner.gid}`, '--', workspace], env);
    await kept.undo?.();
  });
  kept.undo = (await keepPrivate({ access, env, files: privateFiles ?? [], owner })).undo;
  const traverse = await grantTraverse({ access, env, path: workspace, uid, gid });
  undo.push(traverse.undo);
}

/** network: allowlist — the proxy on a socket of its own, the box's only way out. */
async function startProxy({ access, env, serverUrl, config }: BoxOptions, undo: Undo): Promise<EgressProxy> {
  const socketDir = await mkdtemp(join(tmpdir(), 'nightshift-egress-'));
  const proxy = await startEgressProxy({ allowed: allowedHosts({ serverUrl, extra: config.allowedHosts }), listen: { path: join(socketDir, 'proxy.sock') } });
  undo.push(async () => {
    await proxy.close();
    await runAsRoot(access, ['rm', '-rf', '--', socketDir], env);
  });
  return proxy;
}

function boxDescription(user: string, network: BoxConfig['network'], proxy: EgressProxy | undefined): string {
  return `the agent's commands run in a box: user ${user}, own PID namespace, network ${network === 'open' ? 'open' : network === 'none' ? 'none (loopback only)' : `allowlist through the egress proxy (${allowedHostsCount(proxy)} hosts)`}`;
}

/** The agent's home, temporary directory and user; and, when the box has a proxy, the proxy variables that point at it. */
function boxEnv({ user, home, temp }: AgentUser, proxyPort: number | undefined): Record<string, string> {
  const proxyUrl = proxyPort ? `http://127.0.0.1:${proxyPort}` : undefined;
  return {
    HOME: home,
    TMPDIR: temp,
    USER: user,
    LOGNAME: user,
    ...(proxyUrl
      ? {
          HTTP_PROXY: proxyUrl,
          HTTPS_PROXY: proxyUrl,
          http_proxy: proxyUrl,
          https_proxy: proxyUrl,
          NO_PROXY: 'localhost,127.0.0.1,::1',
          no_proxy: 'localhost,127.0.0.1,::1',
        }
      : {}),
  };
}

/** A box opening while the run goes on. */
export interface BackgroundBox {
  /** The box itself, awaited before anything that needs it — and before any model call when the workflow requires it. */
  ready: Promise<Box>;
  /** Runs a command in the box, once it stands. */
  exec: (options: ProcessOptions) => Promise<ProcessResult>;
  /** Empties and removes the box: how it ended, or why there was none. Never throws, so the work is published regardless. */
  close: () => Promise<BoxRecord>;
}

/**
 * Opens the box while the run goes on: making the user, handing over the
 * workspace and starting the keeper take a few hundred milliseconds the first
 * model request does not need. Every command waits for the box (and runs
 * with its environment).
 */
export function openBoxInBackground(opts: Parameters<typeof openBox>[0]): BackgroundBox {
  const ready = openBox(opts);
  // Awaited where it matters; never an unhandled rejection meanwhile.
  ready.catch(() => undefined);
  let closed: Promise<BoxRecord> | undefined;
  return {
    ready,
    exec: async (options) => {
      const box = await ready;
      return (box.exec ?? runProcess)({ ...options, env: { ...options.env, ...box.envOverrides } });
    },
    close: () =>
      (closed ??= ready.then(
        (box) => box.close(),
        // Only a required box can fail to open, and that is awaited before any model call.
        (error: unknown) => ({
          isolation: 'none' as const,
          network: opts.config.network,
          enforced: false,
          egress: [],
          notice: `the box could not be opened: ${errorMessage(error)}`,
        }),
      )),
  };
}
