import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface FixtureRepo {
  /** The work tree, a clone of origin as actions/checkout leaves it. */
  dir: string;
  /** The bare repository that is `origin`. */
  origin: string;
  git(args: string[], cwd?: string): Promise<string>;
  readBranchFile(branch: string, path: string): Promise<string>;
  listBranches(): Promise<string[]>;
  /** Puts the work tree back on origin's branch, as a fresh checkout of the next run would. */
  resetToOrigin(branch: string): Promise<void>;
  /** Pushes a commit to `branch` from another clone: someone else moving the branch (or creating it from `from`). */
  pushFromElsewhere(branch: string, path: string, content: string, from?: string): Promise<void>;
  cleanup(): Promise<void>;
}

const IDENTITY = ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false'];

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('git', [...IDENTITY, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${failure.stderr ?? failure.message}`, { cause: error });
  }
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

/** A real repository: a bare `origin` holding one commit of `files`, and a clone of it to work in. */
export async function createFixtureRepo(opts: { files: Record<string, string>; defaultBranch?: string }): Promise<FixtureRepo> {
  const branch = opts.defaultBranch ?? 'main';
  const root = await mkdtemp(join(tmpdir(), 'nightshift-fixture-'));
  const origin = join(root, 'origin.git');
  const seed = join(root, 'seed');
  const dir = join(root, 'work');
  await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, origin], root);
  await mkdir(seed);
  await git(['init', '--quiet', `--initial-branch=${branch}`], seed);
  await writeFiles(seed, opts.files);
  await git(['add', '--all'], seed);
  await git(['commit', '--quiet', '-m', 'Initial commit'], seed);
  await git(['push', '--quiet', origin, `HEAD:refs/heads/${branch}`], seed);
  await git(['clone', '--quiet', origin, dir], root);

  return {
    dir,
    origin,
    git: (args, cwd = dir) => git(args, cwd),
    readBranchFile: (name, path) => git(['show', `refs/heads/${name}:${path}`], origin),
    listBranches: async () => (await git(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], origin)).split('\n').filter(Boolean),
    resetToOrigin: async (name) => {
      await git(['fetch', '--quiet', 'origin'], dir);
      await git(['checkout', '--quiet', '--force', '-B', name, `origin/${name}`], dir);
      await git(['clean', '--quiet', '-fdx'], dir);
    },
    pushFromElsewhere: async (name, path, content, from = name) => {
      const other = await mkdtemp(join(root, 'elsewhere-'));
      await git(['clone', '--quiet', '--branch', from, origin, other], root);
      await writeFiles(other, { [path]: content });
      await git(['add', '--all'], other);
      await git(['commit', '--quiet', '-m', `Change ${path} elsewhere`], other);
      await git(['push', '--quiet', 'origin', `HEAD:refs/heads/${name}`], other);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
