import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolInputError } from '../../src/tools/errors.js';
import { resolveInWorkspace } from '../../src/tools/workspace.js';
import { EDITOR, makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox();
  await box.write('src/a.ts', 'export const a = 1;\n');
  await box.write('README.md', '# Demo\n');
  await box.write('sub/.git/config', '[core]\n');
  await symlink(box.outside, join(box.root, 'escape'));
  await symlink(join(box.outside, 'new.txt'), join(box.root, 'dangling'));
  await symlink('/etc', join(box.root, 'etc-link'));
  await symlink('src', join(box.root, 'inner'));
  await symlink('.git', join(box.root, 'gitlink'));
  await symlink('loop-b', join(box.root, 'loop-a'));
  await symlink('loop-a', join(box.root, 'loop-b'));
  // Spelled by hand: join() would fold the `..` away before the kernel sees it.
  await symlink(`${box.root}/escape/../repo/src`, join(box.root, 'roundtrip'));
});

afterAll(() => box.cleanup());

const view = (path: string) => box.call(EDITOR, { command: 'view', path });
const create = (path: string) => box.call(EDITOR, { command: 'create', path, file_text: 'x\n' });
const refused = (content: string) => ({ content, isError: true });

describe('the workspace fence, as the model reads it', () => {
  it.each([
    ['../outside/secret.txt', 'path "../outside/secret.txt" is outside the workspace'],
    ['src/../../outside/secret.txt', 'path "src/../../outside/secret.txt" is outside the workspace'],
    ['..', 'path ".." is outside the workspace'],
    ['~/.ssh/id_rsa', 'path "~/.ssh/id_rsa" uses ~, which is not supported; give a path inside the workspace'],
    ['~', 'path "~" uses ~, which is not supported; give a path inside the workspace'],
    ['', 'path is empty'],
    ['a\0b', 'path "a\\u0000b" contains a NUL byte'],
  ])('refuses %j', async (path, message) => {
    expect(await view(path)).toEqual(refused(message));
    expect(await create(path)).toEqual(refused(message));
  });

  it('refuses absolute paths outside the workspace, saying where the workspace is', async () => {
    expect(await view('/etc/passwd')).toEqual(refused(`path "/etc/passwd" is outside the workspace (${box.root})`));
    expect(await create('/repo/src/a.ts')).toEqual(refused(`path "/repo/src/a.ts" is outside the workspace (${box.root})`));
  });

  it('accepts absolute paths inside the workspace and reports them relative', async () => {
    expect(await view(`${box.root}/README.md`)).toEqual({ content: '     1\t# Demo', isError: false });
    expect(await create(`${box.root}/docs/new.md`)).toEqual({ content: 'Created docs/new.md (1 line).', isError: false, changedFiles: ['docs/new.md'] });
  });

  it('refuses to read or write through a symlink that leaves the workspace', async () => {
    expect(await view('escape/secret.txt')).toEqual(refused(`path "escape/secret.txt" resolves outside the workspace (symlink to ${box.outside})`));
    expect(await view('etc-link/passwd')).toEqual(refused('path "etc-link/passwd" resolves outside the workspace (symlink to /etc)'));
    expect(await create('escape/planted.txt')).toEqual(refused(`path "escape/planted.txt" resolves outside the workspace (symlink to ${box.outside})`));
    // A dangling link would create its target outside on write.
    expect(await create('dangling')).toEqual(refused(`path "dangling" resolves outside the workspace (symlink to ${join(box.outside, 'new.txt')})`));
    await expect(readFile(join(box.outside, 'new.txt'))).rejects.toThrow('ENOENT');
    await expect(readFile(join(box.outside, 'planted.txt'))).rejects.toThrow('ENOENT');
  });

  it('follows symlinks that stay inside, and names the real file', async () => {
    expect(await view('inner/a.ts')).toEqual({ content: '     1\texport const a = 1;', isError: false });
    expect((await box.call(EDITOR, { command: 'str_replace', path: 'inner/a.ts', old_str: '1', new_str: '2' })).changedFiles).toEqual(['src/a.ts']);
    // Out through one link and back in through the parent: the real path is inside.
    expect(await view('roundtrip/a.ts')).toEqual({ content: '     1\texport const a = 2;', isError: false });
  });

  it('refuses symlink loops', async () => {
    expect(await view('loop-a/x')).toEqual(refused('path "loop-a/x" has too many levels of symbolic links'));
  });

  it('never writes inside .git, however the path is spelled, but lets the model read it', async () => {
    for (const path of ['.git', '.git/config', '.git/hooks/pre-commit', 'sub/.git/config', 'src/../.git/HEAD', `${box.root}/.git/config`, 'gitlink/config']) {
      expect(await create(path)).toEqual(refused(`path "${path}" is inside .git/, which is read-only`));
    }
    expect(await box.call(EDITOR, { command: 'str_replace', path: '.git/HEAD', old_str: 'ref', new_str: 'x' })).toEqual(
      refused('path ".git/HEAD" is inside .git/, which is read-only'),
    );
    expect((await view('.git/HEAD')).content).toMatch(/^ {5}1\tref: refs\/heads\//);
  });
});

describe('resolveInWorkspace', () => {
  it('returns the real absolute path and the relative one, also for files not yet created', async () => {
    await mkdir(join(box.root, 'deep'), { recursive: true });
    expect(await resolveInWorkspace(box.root, '.', { forWrite: false })).toEqual({ absolute: box.root, relative: '.' });
    expect(await resolveInWorkspace(box.root, 'inner/new/dir/file.ts', { forWrite: true })).toEqual({
      absolute: join(box.root, 'src/new/dir/file.ts'),
      relative: 'src/new/dir/file.ts',
    });
    expect(await resolveInWorkspace(box.root, './src//a.ts/', { forWrite: false })).toEqual({ absolute: join(box.root, 'src/a.ts'), relative: 'src/a.ts' });
  });

  it('throws a ToolInputError', async () => {
    await expect(resolveInWorkspace(box.root, '../x', { forWrite: false })).rejects.toThrow(new ToolInputError('path "../x" is outside the workspace'));
    await expect(resolveInWorkspace(box.root, '../x', { forWrite: false })).rejects.toBeInstanceOf(ToolInputError);
  });
});
