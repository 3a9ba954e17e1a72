import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitOk, gitText, resolveGitBinary, runGit, safeGitEnv, SafeGitError, type SafeGit } from '../../src/git/safeGit.js';
import { eventually, isRunning } from '../tools/fixture.js';

const exec = promisify(execFile);
const IDENTITY = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };

describe('safeGit', () => {
  let base: string;
  let repo: string;
  let git: SafeGit;
  /** git as the action runs it in `repo`, with `extra` command-scoped config. */
  const safeGit = (extra: Array<readonly [string, string]> = []): SafeGit => ({
    binary: resolveGitBinary(process.env.PATH),
    cwd: repo,
    env: safeGitEnv({ source: process.env, home: join(base, 'home'), globalConfig: join(base, 'home', 'gitconfig'), extra }),
  });

  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'nightshift-safegit-')));
    repo = join(base, 'repo');
    await mkdir(join(base, 'home'));
    await mkdir(repo);
    git = safeGit();
    await gitOk(git, ['init', '--quiet']);
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('passes input and returns stdout byte for byte, bytes that are not UTF-8 included', async () => {
    const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, index) => index)), Buffer.from([0xe2, 0x82]), Buffer.from('\r\n\0end')]);
    const expected = createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
    const oid = await gitText(git, ['hash-object', '-w', '--stdin'], { input: data });
    expect(oid).toBe(expected);
    const read = await gitOk(git, ['cat-file', 'blob', oid]);
    expect(read.equals(data)).toBe(true);
  });

  it('closes stdin when there is no input, so a git that reads it ends at once', async () => {
    const result = await runGit(git, ['hash-object', '--stdin'], { timeoutMs: 5_000 });
    // The empty blob: git read an immediate end of input.
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(result.stdout.toString()).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n');
  });

  it('kills a git that hangs at its time limit, and gitOk says so naming the command', async () => {
    // Opening a FIFO for reading blocks until someone writes to it: nobody will.
    await exec('mkfifo', [join(repo, 'pipe')]);
    const started = Date.now();
    const result = await runGit(git, ['hash-object', 'pipe'], { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(gitOk(git, ['hash-object', 'pipe'], { timeoutMs: 300 })).rejects.toThrow(/^git hash-object pipe failed \(timed out\)/);
  });

  it('kills what git started along with it at the time limit', async () => {
    // An alias's shell stands in for the helpers git starts (git-remote-https, ssh): they share git's process group.
    const hanging = safeGit([['alias.hang', '!sleep 100 & echo $!; wait']]);
    const result = await runGit(hanging, ['hang'], { timeoutMs: 500 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    const sleeper = Number(result.stdout.toString().trim());
    expect(sleeper).toBeGreaterThan(1);
    expect(await eventually(() => !isRunning(sleeper))).toBe(true);
  });

  it('names the command and its exit code when git fails', async () => {
    const failing = gitOk(git, ['rev-parse', '--verify', 'missing^{commit}']);
    await expect(failing).rejects.toBeInstanceOf(SafeGitError);
    await expect(failing).rejects.toThrow(/^git rev-parse --verify missing\^\{commit\} failed \(exit 128\): fatal: /);
  });

  it('resolves, never rejects, when git cannot start', async () => {
    const result = await runGit({ ...git, binary: join(base, 'no-such-git') }, ['status']);
    expect(result).toMatchObject({ exitCode: null, timedOut: false });
    expect(result.stderr).toMatch(/ENOENT/);
  });

  it('runs none of the repository’s hooks or fsmonitor, where plain git would', async () => {
    const script = (marker: string) => `#!/bin/sh\ntouch '${join(base, marker)}'\n`;
    await writeFile(join(base, 'fsmonitor.sh'), script('fsmonitor-ran'));
    await writeFile(join(repo, '.git', 'hooks', 'pre-commit'), script('hook-ran'));
    await chmod(join(base, 'fsmonitor.sh'), 0o755);
    await chmod(join(repo, '.git', 'hooks', 'pre-commit'), 0o755);
    await exec('git', ['config', 'core.fsmonitor', join(base, 'fsmonitor.sh')], { cwd: repo });

    await gitOk(git, ['status', '--porcelain']);
    await gitOk(git, ['commit', '--allow-empty', '--quiet', '-m', 'safe'], { vars: IDENTITY });
    expect(existsSync(join(base, 'fsmonitor-ran'))).toBe(false);
    expect(existsSync(join(base, 'hook-ran'))).toBe(false);

    // The traps are real: git with the repository's own config springs both.
    await exec('git', ['status', '--porcelain'], { cwd: repo });
    await exec('git', ['commit', '--allow-empty', '--quiet', '-m', 'plain'], { cwd: repo, env: { ...process.env, ...IDENTITY } });
    expect(existsSync(join(base, 'fsmonitor-ran'))).toBe(true);
    expect(existsSync(join(base, 'hook-ran'))).toBe(true);
  });
});
