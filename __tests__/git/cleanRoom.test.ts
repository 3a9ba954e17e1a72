import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendFile } from 'node:fs/promises';
import { openCleanRoom, pinnedOrigin, pushOrigin, type CleanRoom } from '../../src/git/cleanRoom.js';
import { removePersistedCredentials } from '../../src/git/credentials.js';
import { readFinalFiles } from '../../src/publish/finalFiles.js';
import { judgeChanges } from '../../src/publish/judgeChanges.js';
import { prepareBranch, type WorkBranch } from '../../src/git/prepareBranch.js';
import { createSecretFinder } from '../../src/secrets/secretVariants.js';
import { writeCommit } from '../../src/publish/writeCommit.js';
import type { Task } from '../../src/records/task.js';
import { createFixtureRepo, type FixtureRepo } from '../support/gitFixture.js';

const exec = promisify(execFile);
const TASK: Task = { title: 'Tidy', instruction: 'Tidy', source: { kind: 'prompt', event: 'workflow_dispatch' } };
const FILES = { 'README.md': '# demo\n', 'bin/run.sh': 'echo run\n', 'docs/guide.md': 'guide\n', 'src/a.js': 'a\n', '.gitignore': 'build/\n' };

describe('the clean room', () => {
  let repo: FixtureRepo;
  let temp: string;
  let room: CleanRoom;
  let work: WorkBranch;
  beforeEach(async () => {
    repo = await createFixtureRepo({ files: FILES });
    temp = await mkdtemp(join(tmpdir(), 'nightshift-roomtest-'));
    room = await openCleanRoom({
      workspace: await realpath(repo.dir),
      tempDir: temp,
      env: process.env,
      token: 'ghs_unused0123456789',
      serverUrl: 'https://github.com',
    });
    work = await prepareBranch({ room, task: TASK, prefix: 'nightshift/', runId: '1', baseBranch: 'main' });
  });
  afterEach(async () => {
    await room.dispose();
    await repo.cleanup();
    await rm(temp, { recursive: true, force: true });
  });

  it('starts from the checkout, measured against origin/main', async () => {
    expect(work).toMatchObject({ branch: 'nightshift/tidy-1', baseBranch: 'main', continued: false, baseRef: 'refs/remotes/origin/main' });
    expect(work.start).toBe((await repo.git(['rev-parse', 'HEAD'])).trim());
  });

  it('reads the final files as files: FIFOs, nested repositories and ignored files never get in, symlinks are not followed', async () => {
    // A FIFO where a file was is refused without blocking on it; a new one git does not even list.
    await exec('mkfifo', [join(repo.dir, 'pipe')]);
    await rm(join(repo.dir, 'bin/run.sh'));
    await exec('mkfifo', [join(repo.dir, 'bin/run.sh')]);
    await mkdir(join(repo.dir, 'build'));
    await writeFile(join(repo.dir, 'build/out.js'), 'built');
    await mkdir(join(repo.dir, 'vendor/lib'), { recursive: true });
    await exec('git', ['init', '-q'], { cwd: join(repo.dir, 'vendor/lib') });
    await writeFile(join(repo.dir, 'vendor/lib/x.js'), 'x');
    // docs/ becomes a symlink out of the workspace: docs/guide.md is gone, docs is a link.
    await rm(join(repo.dir, 'docs'), { recursive: true });
    await symlink('/etc', join(repo.dir, 'docs'));
    await symlink('README.md', join(repo.dir, 'readme-link'));
    await writeFile(join(repo.dir, 'src/new.sh'), '#!/bin/sh\n');
    await chmod(join(repo.dir, 'src/new.sh'), 0o755);
    await writeFile(join(repo.dir, 'README.md'), '# demo, changed\n');

    const { changes } = await readFinalFiles(room, work.start);
    const byPath = Object.fromEntries(
      changes.map((change) => [
        change.path,
        change.after.kind === 'file' ? `file ${change.after.mode}` : change.after.kind === 'refused' ? `refused: ${change.after.reason}` : change.after.kind,
      ]),
    );
    expect(byPath).toEqual({
      'README.md': 'file 100644',
      'docs/guide.md': 'absent',
      docs: 'symlink',
      'readme-link': 'symlink',
      'bin/run.sh': 'refused: it is not a regular file or a symlink (a FIFO)',
      'src/new.sh': 'file 100755',
      'vendor/lib': 'refused: it is a nested git repository',
    });
  });

  it('writes one commit on the start commit from the bytes it read, with valid objects', async () => {
    await writeFile(join(repo.dir, 'README.md'), '# demo, changed\n');
    await writeFile(join(repo.dir, 'new.txt'), 'new\n');
    await rm(join(repo.dir, 'src/a.js'));
    // The agent's own commit and index do not matter.
    await repo.git(['add', '-A']);
    await repo.git(['commit', '-qm', 'agent']);
    const { changes, base } = await readFinalFiles(room, work.start);
    const judged = judgeChanges({ changes, base, isProtected: () => false, findSecret: createSecretFinder([]) });
    const commit = await writeCommit({
      room,
      parent: work.start,
      changes: judged.apply,
      author: { name: 'bot', email: 'bot@example.com' },
      subject: 'Tidy',
      body: 'Done.',
    });

    const roomGit = (args: string[]) => exec('git', ['--git-dir', room.gitDir, ...args]).then((out) => out.stdout);
    expect((await roomGit(['rev-parse', `${commit}^`])).trim()).toBe(work.start);
    expect(await roomGit(['ls-tree', '-r', '--name-only', commit!])).toBe('.gitignore\nREADME.md\nbin/run.sh\ndocs/guide.md\nnew.txt\n');
    expect(await roomGit(['show', `${commit}:README.md`])).toBe('# demo, changed\n');
    expect(await roomGit(['log', '-1', '--format=%an <%ae>%n%B', commit!])).toBe('bot <bot@example.com>\nTidy\n\nDone.\n\n');
    await roomGit(['fsck', '--strict', '--no-dangling']);
  });

  it('sends nothing with the token once its config was changed behind its back (an insteadOf to elsewhere)', async () => {
    const evil = join(temp, 'evil.git');
    await exec('git', ['init', '-q', '--bare', evil]);
    await appendFile(join(room.gitDir, 'config'), `[url "${evil}"]\n\tinsteadOf = ${repo.origin}\n\tpushInsteadOf = ${repo.origin}\n`);
    const pushed = await pushOrigin(room, [`${work.start}:refs/heads/elsewhere`]);
    expect(pushed).toMatchObject({ exitCode: 128, stderr: expect.stringContaining('was changed by someone else; nothing is sent with the token') });
    expect((await exec('git', ['--git-dir', evil, 'for-each-ref'])).stdout).toBe('');
    expect(await repo.listBranches()).toEqual(['main']);
  });

  it('writes no commit when nothing changed', async () => {
    const { changes } = await readFinalFiles(room, work.start);
    expect(changes).toEqual([]);
    expect(await writeCommit({ room, parent: work.start, changes: [], author: { name: 'b', email: 'b@b' }, subject: 's', body: '' })).toBeUndefined();
  });
});

describe('pinnedOrigin', () => {
  it("pins an https origin to the run's repository and keeps other URLs", () => {
    expect(pinnedOrigin('https://github.com/attacker/elsewhere', 'https://github.com', { owner: 'octo', repo: 'demo' })).toBe(
      'https://github.com/octo/demo.git',
    );
    expect(pinnedOrigin('/tmp/origin.git', 'https://github.com', { owner: 'octo', repo: 'demo' })).toBe('/tmp/origin.git');
    expect(pinnedOrigin('', 'https://github.com')).toBeUndefined();
  });
});

describe('removePersistedCredentials', () => {
  it("removes the v4 extraheader and the v6 includeIf entries and file, keeping the user's own include", async () => {
    const repo = await createFixtureRepo({ files: { 'README.md': 'x\n' } });
    const runnerTemp = await mkdtemp(join(tmpdir(), 'nightshift-runner-temp-'));
    const own = join(await mkdtemp(join(tmpdir(), 'nightshift-own-')), 'own.config');
    let room: CleanRoom | undefined;
    try {
      const basic = (token: string) => Buffer.from(`x-access-token:${token}`).toString('base64');
      const file = join(runnerTemp, 'git-credentials-1234.config');
      await writeFile(file, `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${basic('ghs_fromfile0123456789')}\n`);
      await writeFile(own, '[alias]\n\tst = status\n');
      const gitDir = join(repo.dir, '.git');
      await repo.git(['config', '--local', 'http.https://github.com/.extraheader', `AUTHORIZATION: basic ${basic('ghs_fromconfig0123456789')}`]);
      await repo.git(['config', '--local', `includeIf.gitdir:${gitDir}.path`, file]);
      await repo.git(['config', '--local', `includeIf.gitdir:${gitDir}/worktrees/*.path`, file]);
      await repo.git(['config', '--local', 'includeIf.gitdir:/github/workspace/.git.path', '/github/runner_temp/git-credentials-1234.config']);
      await repo.git(['config', '--local', 'include.path', own]);
      room = await openCleanRoom({ workspace: await realpath(repo.dir), tempDir: runnerTemp, env: process.env, token: '', serverUrl: 'https://github.com' });

      const removed = await removePersistedCredentials({ git: room.workspaceGit, tempDir: runnerTemp });
      expect(removed.secrets).toEqual(expect.arrayContaining(['ghs_fromconfig0123456789', 'ghs_fromfile0123456789']));
      expect(removed.files).toEqual([join(await realpath(runnerTemp), 'git-credentials-1234.config')]);
      const config = await readFile(join(gitDir, 'config'), 'utf8');
      expect(config).not.toMatch(/extraheader|includeIf|git-credentials/i);
      expect(config).toContain(own);
      await expect(readFile(file)).rejects.toThrow();
      expect((await repo.git(['config', '--list'])).toLowerCase()).not.toContain('extraheader');
    } finally {
      await room?.dispose();
      await repo.cleanup();
      await rm(runnerTemp, { recursive: true, force: true });
    }
  });
});
