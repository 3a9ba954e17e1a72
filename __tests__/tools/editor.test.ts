import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EDITOR, makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox();
  await box.write('src/a.ts', 'one\ntwo\nthree\ntwo\n');
  await box.write('src/twice.ts', 'let x = 1;\nfoo();\nfoo();\nlet y = 2;\n\nfoo();\n');
  await box.write('README.md', '# Demo\n');
  await box.write('empty.txt', '');
  await box.write('no-newline.txt', 'first\nlast');
  await box.write('blob.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
  // 100,000 lines of 10 bytes: about 1 MB, four times the view cap.
  await box.write('big.txt', Array.from({ length: 100_000 }, (_, index) => String(index + 1).padStart(9, '0')).join('\n') + '\n');
  await box.write('minified.js', 'x'.repeat(300 * 1024));
  await mkdir(join(box.root, 'emptydir'));
});

afterAll(() => box.cleanup());

const edit = (input: Record<string, unknown>) => box.call(EDITOR, input);
const ok = (content: string, changedFiles?: string[]) => (changedFiles ? { content, isError: false, changedFiles } : { content, isError: false });
const error = (content: string) => ({ content, isError: true });
const read = (path: string) => readFile(join(box.root, path), 'utf8');

describe('view', () => {
  it('shows a file with line numbers', async () => {
    expect(await edit({ command: 'view', path: 'src/a.ts' })).toEqual(ok('     1\tone\n     2\ttwo\n     3\tthree\n     4\ttwo'));
    expect(await edit({ command: 'view', path: 'no-newline.txt' })).toEqual(ok('     1\tfirst\n     2\tlast'));
  });

  it('shows a line range, -1 meaning to the end', async () => {
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [2, 3] })).toEqual(ok('     2\ttwo\n     3\tthree'));
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [3, -1] })).toEqual(ok('     3\tthree\n     4\ttwo'));
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [4, 99] })).toEqual(ok('     4\ttwo'));
  });

  it('says what is wrong with a range', async () => {
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [9, -1] })).toEqual(error('view_range starts at line 9, but src/a.ts has 4 lines'));
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [3, 2] })).toEqual(error('view_range [3, 2] ends before it starts'));
  });

  it('lists a directory, one level, without .git', async () => {
    expect(await edit({ command: 'view', path: '.' })).toEqual(ok('README.md\nbig.txt\nblob.bin\nempty.txt\nemptydir/\nminified.js\nno-newline.txt\nsrc/'));
    expect(await edit({ command: 'view', path: 'src' })).toEqual(ok('a.ts\ntwice.ts'));
    expect(await edit({ command: 'view', path: 'emptydir' })).toEqual(ok('emptydir is an empty directory'));
  });

  it('describes binary and empty files instead of showing them', async () => {
    expect(await edit({ command: 'view', path: 'blob.bin' })).toEqual(ok('blob.bin: binary file, 8 bytes (not shown)'));
    expect(await edit({ command: 'view', path: 'empty.txt' })).toEqual(ok('empty.txt is empty'));
  });

  it('says when a file does not exist', async () => {
    expect(await edit({ command: 'view', path: 'src/nope.ts' })).toEqual(error('src/nope.ts does not exist'));
  });

  it('caps a large file at whole lines and says how to see the rest', async () => {
    const result = await edit({ command: 'view', path: 'big.txt' });
    const lines = result.content.split('\n');
    // 256 KiB holds 26,214 whole 10-byte lines.
    expect(lines).toHaveLength(26_215);
    expect(lines[0]).toBe('     1\t000000001');
    expect(lines[26_213]).toBe(' 26214\t000026214');
    expect(lines[26_214]).toBe('[output capped at 256 KiB: showing lines 1-26214 of 100000; use view_range to see the rest]');
    expect(await edit({ command: 'view', path: 'big.txt', view_range: [99_999, -1] })).toEqual(ok(' 99999\t000099999\n100000\t000100000'));
  });

  it('shows the start of a single line longer than the cap', async () => {
    const result = await edit({ command: 'view', path: 'minified.js' });
    expect(result).toEqual(ok(`     1\t${'x'.repeat(256 * 1024)}\n[line 1 is longer than 256 KiB; only its start is shown]`));
  });
});

describe('create', () => {
  it('creates parent directories and reports the changed file', async () => {
    expect(await edit({ command: 'create', path: 'lib/new/file.ts', file_text: 'a\nb\n' })).toEqual(
      ok('Created lib/new/file.ts (2 lines).', ['lib/new/file.ts']),
    );
    expect(await read('lib/new/file.ts')).toBe('a\nb\n');
  });

  it('overwrites an existing file', async () => {
    await box.write('over.txt', 'old\n');
    expect(await edit({ command: 'create', path: 'over.txt', file_text: 'new' })).toEqual(ok('Overwrote over.txt (1 line).', ['over.txt']));
    expect(await read('over.txt')).toBe('new');
  });

  it('refuses to replace a directory', async () => {
    expect(await edit({ command: 'create', path: 'src', file_text: 'x' })).toEqual(error('src is a directory; give a file path'));
  });
});

describe('str_replace', () => {
  it('says exactly why nothing was replaced', async () => {
    expect(await edit({ command: 'str_replace', path: 'src/a.ts', old_str: 'four', new_str: '4' })).toEqual(
      error('No match found for old_str in src/a.ts; nothing was changed.'),
    );
    expect(await edit({ command: 'str_replace', path: 'src/twice.ts', old_str: 'foo();', new_str: 'bar();' })).toEqual(
      error('old_str appears 3 times in src/twice.ts (lines 2, 3, 6); include more context so it is unique.'),
    );
    expect(await edit({ command: 'str_replace', path: 'src/missing.ts', old_str: 'a', new_str: 'b' })).toEqual(
      error('src/missing.ts does not exist; use create to make a new file'),
    );
    expect(await edit({ command: 'str_replace', path: 'blob.bin', old_str: 'PNG', new_str: 'JPG' })).toEqual(
      error('blob.bin is a binary file; it cannot be edited as text'),
    );
    expect(await read('src/twice.ts')).toBe('let x = 1;\nfoo();\nfoo();\nlet y = 2;\n\nfoo();\n');
  });

  it('replaces a unique match and shows the edit in context', async () => {
    await box.write('edit.ts', 'l1\nl2\nl3\nl4\nold\nl6\nl7\nl8\nl9\n');
    expect(await edit({ command: 'str_replace', path: 'edit.ts', old_str: 'old\n', new_str: 'new A\nnew B\n' })).toEqual(
      ok('Edited edit.ts at line 5:\n     2\tl2\n     3\tl3\n     4\tl4\n     5\tnew A\n     6\tnew B\n     7\tl6\n     8\tl7\n     9\tl8', ['edit.ts']),
    );
    expect(await read('edit.ts')).toBe('l1\nl2\nl3\nl4\nnew A\nnew B\nl6\nl7\nl8\nl9\n');
  });

  it('deletes the text when new_str is left out', async () => {
    await box.write('delete.ts', 'keep\ndrop me\nkeep too\n');
    expect(await edit({ command: 'str_replace', path: 'delete.ts', old_str: 'drop me\n' })).toEqual(
      ok('Edited delete.ts at line 2:\n     1\tkeep\n     2\tkeep too', ['delete.ts']),
    );
  });
});

describe('insert', () => {
  it('inserts after a line, taking new_str or insert_text', async () => {
    await box.write('ins.txt', 'a\nb\n');
    expect(await edit({ command: 'insert', path: 'ins.txt', insert_line: 1, new_str: 'after a' })).toEqual(
      ok('Inserted 1 line into ins.txt after line 1:\n     1\ta\n     2\tafter a\n     3\tb', ['ins.txt']),
    );
    expect((await edit({ command: 'insert', path: 'ins.txt', insert_line: 0, insert_text: 'top 1\ntop 2\n' })).content).toBe(
      'Inserted 2 lines into ins.txt after line 0:\n     1\ttop 1\n     2\ttop 2\n     3\ta\n     4\tafter a\n     5\tb',
    );
    await edit({ command: 'insert', path: 'ins.txt', insert_line: 5, new_str: 'bottom' });
    expect(await read('ins.txt')).toBe('top 1\ntop 2\na\nafter a\nb\nbottom\n');
  });

  it('refuses a line past the end', async () => {
    expect(await edit({ command: 'insert', path: 'ins.txt', insert_line: 7, new_str: 'x' })).toEqual(
      error('insert_line 7 is past the end of ins.txt, which has 6 lines'),
    );
  });
});

describe('input validation', () => {
  it('answers malformed input with what zod found, prefixed by the tool name', async () => {
    expect(await edit({ command: 'view' })).toEqual(
      error('Invalid input for str_replace_based_edit_tool:\n✖ Invalid input: expected string, received undefined\n  → at path'),
    );
    expect(await edit({ command: 'undo_edit', path: 'x' })).toEqual(
      error(
        "Invalid input for str_replace_based_edit_tool:\n✖ Invalid discriminator value. Expected 'view' | 'create' | 'str_replace' | 'insert'\n  → at command",
      ),
    );
    expect(await edit({ command: 'insert', path: 'ins.txt', insert_line: 1 })).toEqual(
      error('Invalid input for str_replace_based_edit_tool:\n✖ Invalid input: expected string, received undefined\n  → at new_str'),
    );
    expect(await edit({ command: 'view', path: 'src/a.ts', view_range: [0, 2] })).toEqual(
      error('Invalid input for str_replace_based_edit_tool:\n✖ Too small: expected number to be >=1\n  → at view_range[0]'),
    );
    expect((await box.call(EDITOR, 'view src/a.ts')).content).toBe(
      'Invalid input for str_replace_based_edit_tool:\n✖ Invalid input: expected object, received string',
    );
  });
});
