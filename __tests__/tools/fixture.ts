import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { agentEnv } from '../../src/box/agentEnv.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import type { ToolContext, ToolOutcome, Toolbox } from '../../src/tools/types.js';

export const EDITOR = 'str_replace_based_edit_tool';

export interface Sandbox {
  /** The workspace root (a real path). */
  root: string;
  /** A sibling directory outside the workspace, for escape attempts. */
  outside: string;
  ctx: ToolContext;
  toolbox: Toolbox;
  call(name: string, input: unknown): Promise<ToolOutcome>;
  write(path: string, content: string | Buffer): Promise<void>;
  git(...args: string[]): string;
  cleanup(): Promise<void>;
}

/** A temporary git work tree with a sibling "outside" directory and a toolbox on it. */
export async function makeSandbox(overrides: Partial<ToolContext> = {}): Promise<Sandbox> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'nightshift-tools-')));
  const root = join(base, 'repo');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret\n');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
  git('init', '--quiet');
  const ctx: ToolContext = {
    workspace: root,
    env: agentEnv({ source: process.env, extraNames: [], secretNames: [], secretValues: [] }),
    commandTimeoutMs: 10_000,
    maxOutputBytes: 10_000,
    checks: [],
    signal: new AbortController().signal,
    ...overrides,
  };
  const toolbox = createToolbox(ctx, { anthropicToolTypes: true });
  let callId = 0;
  return {
    root,
    outside,
    ctx,
    toolbox,
    call: (name, input) => toolbox.run({ id: `toolu_${(callId += 1)}`, name, input }),
    async write(path, content) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    },
    git,
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

/**
 * Whether a process still runs. A killed process whose parent died is
 * reparented to PID 1, which may take a while to reap it: a zombie (state Z)
 * runs no code, so it counts as gone.
 */
export function isRunning(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (existsSync('/proc/self/stat')) {
    try {
      const state = readFileSync(stat, 'utf8').replace(/^.*\) /s, '')[0];
      return state !== 'Z' && state !== 'X';
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `check` holds or `ms` pass; processes die asynchronously. */
export async function eventually(check: () => boolean, ms = 2_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}
