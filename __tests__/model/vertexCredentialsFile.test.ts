import { link, rename, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { privateFiles } from '../../src/guard/privateFiles.js';
import { EDITOR, makeSandbox, type Sandbox } from '../tools/fixture.js';

/** The guard rails around the credentials file google-github-actions/auth writes into the workspace (the box's mode 600 is the boundary). */
const CREDS = 'gha-creds-0a1b2c3d4e5f6789.json';
const TOKEN = 'oidc-request-token-abcdef0123456789';

let box: Sandbox;

beforeEach(async () => {
  box = await makeSandbox();
  await box.write('src/app.js', 'export const kind = "external_account";\n');
  await box.write(CREDS, JSON.stringify({ type: 'external_account', credential_source: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
  box.ctx.privateFiles = privateFiles(box.root, [join(box.root, CREDS)]);
});
afterEach(() => box.cleanup());

describe("the agent's tools and the run's credentials file", () => {
  it('the editor refuses to view or change it, and a directory view leaves it out', async () => {
    for (const input of [
      { command: 'view', path: CREDS },
      { command: 'view', path: join(box.root, CREDS) },
      { command: 'create', path: CREDS, file_text: '{}' },
      { command: 'str_replace', path: CREDS, old_str: 'external', new_str: 'x' },
    ]) {
      const outcome = await box.call(EDITOR, input);
      expect(outcome).toMatchObject({ isError: true, content: expect.stringContaining("is a credentials file of the run's own") });
      expect(outcome.content).not.toContain(TOKEN);
    }
    const root = await box.call(EDITOR, { command: 'view', path: '.' });
    expect(root.content).toContain('src/');
    expect(root.content).not.toContain(CREDS);
  });

  it('refuses it through a symlink, under a new name and through a hard link (the editor reads as the action, not the box user)', async () => {
    await symlink(CREDS, join(box.root, 'link.json'));
    await link(join(box.root, CREDS), join(box.root, 'hard.json'));
    expect((await box.call(EDITOR, { command: 'view', path: 'link.json' })).content).toContain("is a credentials file of the run's own");
    expect((await box.call(EDITOR, { command: 'view', path: 'hard.json' })).content).toContain("is a credentials file of the run's own (under another name)");
    await rename(join(box.root, CREDS), join(box.root, 'notes.txt'));
    for (const input of [
      { command: 'view', path: 'notes.txt' },
      { command: 'insert', path: 'notes.txt', insert_line: 0, new_str: 'x' },
    ]) {
      const outcome = await box.call(EDITOR, input);
      expect(outcome).toMatchObject({ isError: true, content: expect.stringContaining('(under another name)') });
      expect(outcome.content).not.toContain(TOKEN);
    }
  });

  it('list_files and search_code leave it out; search_code refuses it as a path', async () => {
    expect((await box.call('list_files', {})).content.split('\n')).toEqual(['src/app.js']);
    const found = await box.call('search_code', { pattern: 'external_account' });
    expect(found.content).toBe('src/app.js:1:export const kind = "external_account";');
    expect(await box.call('search_code', { pattern: 'Bearer', path: CREDS })).toMatchObject({
      isError: true,
      content: expect.stringContaining("is a credentials file of the run's own"),
    });
  });

  it('without the file, the tools are as before', async () => {
    box.ctx.privateFiles = undefined;
    expect((await box.call(EDITOR, { command: 'view', path: CREDS })).content).toContain(TOKEN);
    expect((await box.call('list_files', {})).content).toContain(CREDS);
  });
});
