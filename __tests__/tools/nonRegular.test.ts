import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { lstat, open, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { EDITOR, makeSandbox, type Sandbox } from './fixture.js';

/**
 * The editor on FIFOs, sockets and links to them: each call is refused at
 * once, never left waiting for the other end of a pipe (which used to hang
 * the run past max_minutes and SIGTERM, publishing nothing).
 */
let box: Sandbox;
let server: Server;

beforeAll(async () => {
  box = await makeSandbox();
  execFileSync('mkfifo', [join(box.root, 'pipe')]);
  await symlink('pipe', join(box.root, 'pipe-link'));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(join(box.root, 'sock'), resolve));
});

afterAll(async () => {
  // Whatever a broken editor left waiting on the pipe is released, so the test process can end.
  for (const flags of [constants.O_RDONLY | constants.O_NONBLOCK, constants.O_RDWR]) await (await open(join(box.root, 'pipe'), flags)).close();
  await new Promise((resolve) => server.close(resolve));
  await box.cleanup();
});

/** The call's result, or a failure if it takes longer than `ms`. */
async function promptly<T>(call: Promise<T>, ms = 2_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}

const edit = (input: Record<string, unknown>) => promptly(box.call(EDITOR, input));
const refused = (path: string, kind: string) => ({
  content: `${path} is ${kind}, not a regular file; the editor only reads and writes regular files (it was not touched)`,
  isError: true,
});

describe.each([
  ['pipe', 'a FIFO (named pipe)'],
  ['pipe-link', 'a FIFO (named pipe)'],
  ['sock', 'a socket'],
])('the editor on %s', (path, kind) => {
  const shown = path === 'pipe-link' ? 'pipe' : path;
  it('refuses view', async () => {
    expect(await edit({ command: 'view', path })).toEqual(refused(shown, kind));
  });
  it('refuses create, and leaves it as it was', async () => {
    expect(await edit({ command: 'create', path, file_text: 'x' })).toEqual(refused(shown, kind));
    const info = await lstat(join(box.root, shown));
    expect(kind.includes('FIFO') ? info.isFIFO() : info.isSocket()).toBe(true);
  });
  it('refuses str_replace', async () => {
    expect(await edit({ command: 'str_replace', path, old_str: 'a', new_str: 'b' })).toEqual(refused(shown, kind));
  });
  it('refuses insert', async () => {
    expect(await edit({ command: 'insert', path, insert_line: 0, new_str: 'b' })).toEqual(refused(shown, kind));
  });
});

describe('bounded calls', () => {
  it('a view stops when the run ends', async () => {
    const controller = new AbortController();
    const stopped = await makeSandbox({ signal: controller.signal });
    try {
      await writeFile(join(stopped.root, 'big.txt'), 'line\n'.repeat(2_000_000));
      controller.abort();
      expect(await promptly(stopped.call(EDITOR, { command: 'view', path: 'big.txt' }))).toEqual({
        content: '[stopped: the run is ending (time budget or cancellation); the view was not finished]',
        isError: true,
      });
    } finally {
      await stopped.cleanup();
    }
  });

  it('a file too large to edit in memory is refused with what to do instead', async () => {
    await writeFile(join(box.root, 'huge.txt'), Buffer.alloc(17 * 1024 * 1024, 'a'));
    expect(await edit({ command: 'str_replace', path: 'huge.txt', old_str: 'a', new_str: 'b' })).toEqual({
      content: 'huge.txt is 17.0 MiB, more than the editor edits (16 MiB); change it with a command instead',
      isError: true,
    });
  });
});
