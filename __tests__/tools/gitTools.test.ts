import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox();
  await box.write('.gitignore', 'build/\n*.log\n');
  await box.write('README.md', '# Demo\nSee src/.\n');
  await box.write('src/a.ts', 'export const alpha = 1;\nexport function Fresh() {}\n');
  await box.write('src/nested/b.ts', 'export const beta = 2; // TODO tidy\n');
  await box.write('src/c.js', 'module.exports = {};\n');
  await box.write('gone.ts', 'export const gone = true;\n');
  await box.write('build/out.js', 'export const alpha = "built";\n');
  await box.write('debug.log', 'alpha\n');
  await box.write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0x61, 0x6c, 0x70, 0x68, 0x61]));
  await box.write('long.txt', `alpha ${'z'.repeat(1_000)}\n`);
  box.git('add', '.gitignore', 'README.md', 'src/a.ts', 'src/nested/b.ts', 'gone.ts');
  // Tracked but deleted from the work tree: listing it would send the model to a file it cannot read.
  await rm(join(box.root, 'gone.ts'));
  // Untracked (not yet added), but not ignored: the model's own new files must show.
  await box.write('fresh.ts', 'export const fresh = 1;\n');
});

afterAll(() => box.cleanup());

describe('list_files', () => {
  it('lists tracked and untracked files, honouring .gitignore and skipping deleted files', async () => {
    expect(await box.call('list_files', {})).toEqual({
      content: ['.gitignore', 'README.md', 'fresh.ts', 'image.png', 'long.txt', 'src/a.ts', 'src/c.js', 'src/nested/b.ts'].join('\n'),
      isError: false,
    });
  });

  it('narrows by directory and by glob, a bare glob matching at any depth', async () => {
    expect(await box.call('list_files', { path: 'src' })).toEqual({ content: 'src/a.ts\nsrc/c.js\nsrc/nested/b.ts', isError: false });
    expect(await box.call('list_files', { pattern: '*.ts' })).toEqual({ content: 'fresh.ts\nsrc/a.ts\nsrc/nested/b.ts', isError: false });
    expect(await box.call('list_files', { pattern: 'src/*' })).toEqual({ content: 'src/a.ts\nsrc/c.js', isError: false });
    expect(await box.call('list_files', { pattern: 'src/**' })).toEqual({ content: 'src/a.ts\nsrc/c.js\nsrc/nested/b.ts', isError: false });
    expect(await box.call('list_files', { path: 'src', pattern: '*.js' })).toEqual({ content: 'src/c.js', isError: false });
  });

  it('caps the list and says how many more there are', async () => {
    expect(await box.call('list_files', { limit: 3 })).toEqual({
      content: '.gitignore\nREADME.md\nfresh.ts\n… and 5 more (narrow with path or pattern)',
      isError: false,
    });
  });

  it('says when nothing matches, and refuses paths that do not exist or leave the workspace', async () => {
    expect(await box.call('list_files', { pattern: '*.py' })).toEqual({ content: 'No files match *.py.', isError: false });
    expect(await box.call('list_files', { path: 'src', pattern: '*.py' })).toEqual({ content: 'No files under src match *.py.', isError: false });
    expect(await box.call('list_files', { path: 'nope' })).toEqual({ content: 'path "nope" does not exist', isError: true });
    expect(await box.call('list_files', { path: '..' })).toEqual({ content: 'path ".." is outside the workspace', isError: true });
  });
});

describe('search_code', () => {
  it('prints file:line:text for tracked and untracked text files, not ignored or binary ones', async () => {
    expect(await box.call('search_code', { pattern: 'fre+sh' })).toEqual({ content: 'fresh.ts:1:export const fresh = 1;', isError: false });
    expect(await box.call('search_code', { pattern: 'alpha|beta', path: 'src' })).toEqual({
      content: 'src/a.ts:1:export const alpha = 1;\nsrc/nested/b.ts:1:export const beta = 2; // TODO tidy',
      isError: false,
    });
  });

  it('ignores case when asked', async () => {
    expect(await box.call('search_code', { pattern: 'fresh', ignore_case: true })).toEqual({
      content: 'fresh.ts:1:export const fresh = 1;\nsrc/a.ts:2:export function Fresh() {}',
      isError: false,
    });
  });

  it('cuts long lines and caps the number of matches', async () => {
    expect(await box.call('search_code', { pattern: '^alpha', path: 'long.txt' })).toEqual({ content: `long.txt:1:alpha ${'z'.repeat(283)}…`, isError: false });
    expect(await box.call('search_code', { pattern: 'export', limit: 2 })).toEqual({
      content: 'fresh.ts:1:export const fresh = 1;\nsrc/a.ts:1:export const alpha = 1;\n… and 3 more matches (narrow with path or a tighter pattern)',
      isError: false,
    });
  });

  it('says when nothing matches', async () => {
    expect(await box.call('search_code', { pattern: 'nothing-like-this' })).toEqual({ content: 'No matches for /nothing-like-this/.', isError: false });
    expect(await box.call('search_code', { pattern: 'alpha', path: 'nope' })).toEqual({ content: 'path "nope" does not exist', isError: true });
  });

  it("passes git's complaint about a bad regex back", async () => {
    const result = await box.call('search_code', { pattern: '(' });
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^search_code failed \(exit 128\): fatal: .*\(/);
  });

  it('takes a pattern that starts with a dash as a pattern', async () => {
    await box.write('flags.txt', '--force is dangerous\n');
    expect(await box.call('search_code', { pattern: '--force' })).toEqual({ content: 'flags.txt:1:--force is dangerous', isError: false });
  });
});
