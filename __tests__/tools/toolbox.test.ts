import { join } from 'node:path';
import { createToolbox } from '../../src/tools/toolbox.js';
import { supportsAnthropicToolTypes } from '../../src/model/modelName.js';
import { EDITOR, makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox({ checks: ['true'] });
  await box.write('README.md', '# Demo\n');
});

afterAll(() => box.cleanup());

const AVAILABLE = 'Available tools: str_replace_based_edit_tool, bash, list_files, search_code, run_checks.';

describe('toolbox.run', () => {
  it.each(['teleport', 'constructor', '__proto__', 'toString', ''])('refuses the unknown tool %j, naming the ones that exist', async (name) => {
    expect(await box.call(name, {})).toEqual({ content: `Unknown tool "${name}". ${AVAILABLE}`, isError: true });
  });

  it('answers input that fails the schema with what zod found', async () => {
    expect(await box.call('bash', { command: 42 })).toEqual({
      content: 'Invalid input for bash:\n✖ Invalid input: expected string, received number\n  → at command',
      isError: true,
    });
    expect(await box.call('list_files', { limit: 0 })).toEqual({
      content: 'Invalid input for list_files:\n✖ Too small: expected number to be >=1\n  → at limit',
      isError: true,
    });
    expect(await box.call('search_code', {})).toEqual({
      content: 'Invalid input for search_code:\n✖ Invalid input: expected string, received undefined\n  → at pattern',
      isError: true,
    });
    expect(await box.call('run_checks', [])).toEqual({
      content: 'Invalid input for run_checks:\n✖ Invalid input: expected object, received array',
      isError: true,
    });
  });

  it('treats missing input as an empty object', async () => {
    expect((await box.call('run_checks', undefined)).content).toMatch(/^The check passed\.\n✔ true \(\d+(\.\d)?s\)$/);
    expect((await box.call('list_files', null)).content).toBe('README.md');
  });

  it('returns the message of input the tool refuses', async () => {
    expect(await box.call(EDITOR, { command: 'view', path: '../../etc/passwd' })).toEqual({
      content: 'path "../../etc/passwd" is outside the workspace',
      isError: true,
    });
  });

  it('turns an unexpected failure into an error result instead of throwing', async () => {
    const missing = join(box.outside, 'no-such-workspace');
    const broken = createToolbox({ ...box.ctx, workspace: missing }, { anthropicToolTypes: true });
    expect(await broken.run({ id: 't', name: EDITOR, input: { command: 'view', path: 'README.md' } })).toEqual({
      content: `tool str_replace_based_edit_tool failed: ENOENT: no such file or directory, realpath '${missing}'`,
      isError: true,
    });
  });
});

describe('tool definitions', () => {
  it('use the Anthropic-defined editor and bash where supported, with zod-made schemas for the rest', () => {
    expect(box.toolbox.definitions).toEqual([
      { type: 'text_editor_20250728', name: EDITOR },
      { type: 'bash_20250124', name: 'bash' },
      {
        name: 'list_files',
        description: 'List files git sees (tracked and untracked, .gitignore respected).',
        input_schema: {
          type: 'object',
          properties: {
            path: { description: 'directory (default: repository root)', type: 'string' },
            pattern: { description: 'glob, e.g. "*.ts" or "src/**/*.test.js"', type: 'string' },
            limit: { description: 'default 500', type: 'integer', minimum: 1, maximum: 5000 },
          },
        },
      },
      {
        name: 'search_code',
        description: 'Search file contents (git grep); prints file:line:text.',
        input_schema: {
          type: 'object',
          properties: {
            pattern: { type: 'string', minLength: 1, description: 'POSIX extended regex (no \\d: use [0-9])' },
            path: { description: 'directory or file (default: everything)', type: 'string' },
            ignore_case: { type: 'boolean' },
            limit: { description: 'default 200', type: 'integer', minimum: 1, maximum: 2000 },
          },
          required: ['pattern'],
        },
      },
      {
        name: 'run_checks',
        description: "Run the repository's declared verification commands; reports each pass/fail with the failing output.",
        input_schema: {
          type: 'object',
          properties: { only: { description: 'run only these checks (1-based); default all', type: 'array', items: { type: 'integer', minimum: 1 } } },
        },
      },
    ]);
  });

  it('give other models the same editor and bash as plain tools, the editor flattened to one object', () => {
    const [editor, bash] = createToolbox(box.ctx, { anthropicToolTypes: false }).definitions as Array<{
      name: string;
      description: string;
      input_schema: { type: string; properties: Record<string, { type?: string; enum?: string[] }>; required?: string[] };
    }>;
    expect(editor!.name).toBe(EDITOR);
    expect(editor!.input_schema.type).toBe('object');
    expect(Object.keys(editor!.input_schema.properties)).toEqual(['command', 'path', 'view_range', 'file_text', 'old_str', 'new_str', 'insert_line']);
    expect(editor!.input_schema.properties.command).toEqual({ type: 'string', enum: ['view', 'create', 'str_replace', 'insert'] });
    expect(editor!.input_schema.required).toEqual(['command', 'path']);
    expect(bash).toEqual({
      name: 'bash',
      description: 'Run a command with bash in the repository root. Each call is a fresh shell with a time limit; stdin is closed.',
      input_schema: {
        type: 'object',
        properties: {
          command: { description: 'the bash command to run', type: 'string' },
          restart: { description: 'restart the shell (no-op: every command gets a fresh shell)', type: 'boolean' },
        },
      },
    });
  });

  it('stay byte-identical between toolboxes and calls, so the prompt cache holds', async () => {
    for (const anthropicToolTypes of [true, false]) {
      const first = JSON.stringify(createToolbox(box.ctx, { anthropicToolTypes }).definitions);
      await box.call('list_files', {});
      expect(JSON.stringify(createToolbox({ ...box.ctx, checks: ['other'] }, { anthropicToolTypes }).definitions)).toBe(first);
    }
  });
});

describe('supportsAnthropicToolTypes', () => {
  it.each([
    ['claude-opus-4-1-20250805', true],
    ['claude-opus-4-20250514', true],
    ['claude-sonnet-4-20250514', true],
    ['claude-sonnet-4-5', true],
    ['claude-haiku-4-5-20251001', true],
    ['claude-opus-5', true],
    ['claude-sonnet-5-20260101', true],
    ['claude-fable-1', true],
    ['claude-mythos', true],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', true],
    ['claude-sonnet-4@20250514', true],
    ['claude-3-7-sonnet-20250219', false],
    ['claude-3-5-haiku-latest', false],
    ['claude-3-opus-20240229', false],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', false],
    ['claude-2.1', false],
    ['claude-instant-1.2', false],
    ['gpt-4o', false],
    ['', false],
  ])('%j → %s', (model, expected) => {
    expect(supportsAnthropicToolTypes(model)).toBe(expected);
  });
});
