import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrubbedEnv } from '../../src/exec/scrubbedEnv.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import type { ToolContext, Toolbox } from '../../src/tools/types.js';

const EDITOR = 'str_replace_based_edit_tool';
let root: string;
let outside: string;
let toolbox: Toolbox;
let ctx: ToolContext;
let callId = 0;

const call = (name: string, input: unknown) => toolbox.run({ id: `t${++callId}`, name, input });

beforeAll(async () => {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'nightshift-tools-')));
  root = join(base, 'repo');
  outside = join(base, 'outside');
  await mkdir(join(root, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'top secret');
  await writeFile(join(root, 'src/a.ts'), 'one\ntwo\nthree\ntwo\n');
  await writeFile(join(root, 'README.md'), '# Demo\n');
  await writeFile(join(root, '.gitignore'), 'build/\n');
  await mkdir(join(root, 'build'));
  await writeFile(join(root, 'build/out.js'), 'ignored');
  await writeFile(join(root, 'blob.bin'), Buffer.from([0x89, 0x50, 0, 1, 2, 3]));
  await symlink(outside, join(root, 'escape'));
  await symlink(join(outside, 'new.txt'), join(root, 'dangling'));
  execFileSync('git', ['init', '--quiet'], { cwd: root });
  execFileSync('git', ['add', 'README.md', 'src/a.ts', '.gitignore'], { cwd: root });
  await writeFile(join(root, 'untracked.ts'), 'export const fresh = 1;\n');
  ctx = {
    workspace: root,
    env: scrubbedEnv({ ...process.env, GITHUB_TOKEN: 'ghs_shouldnotleak', INPUT_ANTHROPIC_API_KEY: 'sk-ant-nope' }),
    commandTimeoutMs: 2_000,
    maxOutputBytes: 10_000,
    checks: ['test -f README.md', 'grep -q missing README.md'],
    signal: new AbortController().signal,
  };
  toolbox = createToolbox(ctx, { anthropicToolTypes: true });
});

afterAll(async () => {
  await rm(join(root, '..'), { recursive: true, force: true });
});

describe('the workspace fence', () => {
  it.each([
    ['../outside/secret.txt', 'path "../outside/secret.txt" is outside the workspace'],
    ['/etc/passwd', 'path "/etc/passwd" is outside the workspace'],
    ['~/.ssh/id_rsa', 'path "~/.ssh/id_rsa" uses ~, which is not supported; give a path inside the workspace'],
    ['src/../../outside/secret.txt', 'path "src/../../outside/secret.txt" is outside the workspace'],
  ])('refuses to view %s', async (path, message) => {
    expect(await call(EDITOR, { command: 'view', path })).toEqual({ content: message, isError: true });
  });

  it('refuses reads and writes through a symlink that leaves the tree', async () => {
    expect(await call(EDITOR, { command: 'view', path: 'escape/secret.txt' })).toEqual({
      content: `path "escape/secret.txt" resolves outside the workspace (symlink to ${join(outside, 'secret.txt')})`,
      isError: true,
    });
    expect(await call(EDITOR, { command: 'create', path: 'dangling', file_text: 'x' })).toEqual({
      content: `path "dangling" resolves outside the workspace (symlink to ${join(outside, 'new.txt')})`,
      isError: true,
    });
    await expect(readFile(join(outside, 'new.txt'))).rejects.toThrow();
  });

  it('never writes inside .git, however the path is spelled', async () => {
    expect(await call(EDITOR, { command: 'create', path: '.git/hooks/pre-commit', file_text: 'x' })).toEqual({
      content: 'path ".git/hooks/pre-commit" is inside .git/, which is read-only',
      isError: true,
    });
    expect((await call(EDITOR, { command: 'create', path: `${root}/src/../.git/config`, file_text: 'x' })).content).toMatch(/is inside \.git\/, which is read-only$/);
  });

  it('accepts absolute paths inside the workspace', async () => {
    expect(await call(EDITOR, { command: 'view', path: `${root}/README.md` })).toEqual({ content: '     1\t# Demo', isError: false });
  });
});

describe('the text editor', () => {
  it('views a line range with numbers', async () => {
    expect(await call(EDITOR, { command: 'view', path: 'src/a.ts', view_range: [2, 3] })).toEqual({ content: '     2\ttwo\n     3\tthree', isError: false });
  });

  it('lists a directory without .git', async () => {
    expect((await call(EDITOR, { command: 'view', path: '.' })).content).toBe('.gitignore\nREADME.md\nblob.bin\nbuild/\ndangling\nescape\nsrc/\nuntracked.ts');
  });

  it('describes binary files instead of dumping them', async () => {
    expect(await call(EDITOR, { command: 'view', path: 'blob.bin' })).toEqual({ content: 'blob.bin is a binary file (6 bytes); not shown.', isError: false });
  });

  it('says exactly why a replacement did not happen', async () => {
    expect(await call(EDITOR, { command: 'str_replace', path: 'src/a.ts', old_str: 'four', new_str: '4' })).toEqual({
      content: 'No match found for old_str in src/a.ts; nothing was changed.',
      isError: true,
    });
    expect(await call(EDITOR, { command: 'str_replace', path: 'src/a.ts', old_str: 'two', new_str: '2' })).toEqual({
      content: 'old_str appears 2 times in src/a.ts (lines 2, 4); include more context so it is unique.',
      isError: true,
    });
  });

  it('creates, replaces and inserts, reporting the files it changed', async () => {
    const created = await call(EDITOR, { command: 'create', path: 'lib/new/file.ts', file_text: 'a\nb\n' });
    expect(created).toEqual({ content: 'Wrote lib/new/file.ts (2 lines).', isError: false, changedFiles: ['lib/new/file.ts'] });
    const replaced = await call(EDITOR, { command: 'str_replace', path: 'lib/new/file.ts', old_str: 'b', new_str: 'B' });
    expect(replaced.changedFiles).toEqual(['lib/new/file.ts']);
    await call(EDITOR, { command: 'insert', path: 'lib/new/file.ts', insert_line: 1, new_str: 'inserted' });
    expect(await readFile(join(root, 'lib/new/file.ts'), 'utf8')).toBe('a\ninserted\nB\n');
  });

  it('rejects input of the wrong shape with a readable error', async () => {
    const result = await call(EDITOR, { command: 'view' });
    expect(result.isError).toBe(true);
    expect(result.content).toBe('Invalid input for str_replace_based_edit_tool:\n✖ Invalid input: expected string, received undefined\n  → at path');
    expect((await call(EDITOR, { command: 'delete', path: 'x' })).content).toBe(
      "Invalid input for str_replace_based_edit_tool:\n✖ Invalid discriminator value. Expected 'view' | 'create' | 'str_replace' | 'insert'\n  → at command",
    );
  });
});

describe('list_files and search_code', () => {
  it('lists tracked and untracked files, honouring .gitignore', async () => {
    const listed = (await call('list_files', {})).content.split('\n');
    expect(listed).toEqual(expect.arrayContaining(['README.md', 'src/a.ts', 'untracked.ts']));
    expect(listed).not.toContain('build/out.js');
    expect((await call('list_files', { pattern: '*.ts', limit: 1 })).content).toMatch(/^\S+\.ts\n… and \d+ more \(narrow with path or pattern\)$/);
  });

  it('searches with git grep and says when nothing matches', async () => {
    expect(await call('search_code', { pattern: 'fre+sh' })).toEqual({ content: 'untracked.ts:1:export const fresh = 1;', isError: false });
    expect(await call('search_code', { pattern: 'nothing-like-this' })).toEqual({ content: 'No matches for /nothing-like-this/.', isError: false });
    expect((await call('search_code', { pattern: '(' })).isError).toBe(true);
  });
});

describe('bash and run_checks', () => {
  it('runs in the workspace with a scrubbed environment and closed stdin', async () => {
    const result = await call('bash', { command: 'pwd; cat; env | grep -c -E "GITHUB_TOKEN|INPUT_" || true' });
    expect(result).toEqual({ content: `${root}\n0`, isError: false });
  });

  it('reports exit codes and kills commands at their time limit', async () => {
    expect(await call('bash', { command: 'echo oops >&2; exit 3' })).toEqual({ content: 'oops\n[exit code 3]', isError: true });
    const started = Date.now();
    expect(await call('bash', { command: 'sleep 30' })).toEqual({ content: '(no output)\n[timed out after 2s; process group killed]', isError: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('runs the declared checks and reports each one', async () => {
    const result = await call('run_checks', {});
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/^1 of 2 checks failed\.\n✔ test -f README\.md \(\d+\.\ds\)\n✘ grep -q missing README\.md \(exit 1, \d+\.\ds\)\n\[exit code 1\]$/);
  });

  it('refuses unknown tools, naming the ones that exist', async () => {
    expect(await call('teleport', {})).toEqual({
      content: 'Unknown tool "teleport". Available tools: str_replace_based_edit_tool, bash, list_files, search_code, run_checks.',
      isError: true,
    });
  });
});

describe('tool definitions', () => {
  it('use the Anthropic-defined types where supported and stay byte-identical', () => {
    const again = createToolbox(ctx, { anthropicToolTypes: true });
    expect(JSON.stringify(again.definitions)).toBe(JSON.stringify(toolbox.definitions));
    expect(toolbox.definitions.slice(0, 2)).toEqual([
      { type: 'text_editor_20250728', name: EDITOR },
      { type: 'bash_20250124', name: 'bash' },
    ]);
    const plain = createToolbox(ctx, { anthropicToolTypes: false }).definitions[0] as { input_schema: { type: string; properties: object } };
    expect(plain.input_schema.type).toBe('object');
    expect(Object.keys(plain.input_schema.properties)).toEqual(['command', 'path', 'view_range', 'file_text', 'old_str', 'new_str', 'insert_line']);
  });
});
