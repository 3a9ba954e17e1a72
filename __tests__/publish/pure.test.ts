import { branchName, slugify } from '../../src/git/branchName.js';
import { createRedactor } from '../../src/secrets/redact.js';
import { sensitiveChanges } from '../../src/report/sensitiveChanges.js';
import type { Task } from '../../src/records/task.js';

const issueTask: Task = { title: 'Crash on empty input!', instruction: '', source: { kind: 'issue', event: 'issues', number: 42, url: 'u' } };
const promptTask: Task = { title: 'Nightly: bump deps', instruction: '', source: { kind: 'prompt', event: 'schedule' } };

describe('branch names', () => {
  it('are stable per issue and unique per prompt run', () => {
    expect(branchName({ prefix: 'nightshift/', task: issueTask, runId: '99' })).toBe('nightshift/42-crash-on-empty-input');
    expect(branchName({ prefix: 'bot-', task: promptTask, runId: '99' })).toBe('bot-nightly-bump-deps-99');
  });
  it('slugs are short, lowercase and never empty', () => {
    expect(slugify('Ünïcode — and   more!!! '.repeat(5))).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(slugify('!!!')).toBe('task');
  });
});

describe('sensitive changes', () => {
  it('flags tests, test config and CI, and says when they were deleted', () => {
    const flagged = sensitiveChanges([
      { path: 'src/app.ts', added: 1, deleted: 0, status: 'M' },
      { path: 'src/app.test.ts', added: 1, deleted: 0, status: 'M' },
      { path: 'tests/test_api.py', added: 0, deleted: 30, status: 'D' },
      { path: 'jest.config.js', added: 1, deleted: 1, status: 'M' },
      { path: '.github/workflows/ci.yml', added: 2, deleted: 0, status: 'M' },
      { path: 'pkg/server_test.go', added: 2, deleted: 0, status: 'A' },
      { path: 'docs/testing.md', added: 2, deleted: 0, status: 'M' },
    ]);
    expect(flagged).toEqual([
      { path: 'src/app.test.ts', kind: 'tests', deleted: false },
      { path: 'tests/test_api.py', kind: 'tests', deleted: true },
      { path: 'jest.config.js', kind: 'test config', deleted: false },
      { path: '.github/workflows/ci.yml', kind: 'ci', deleted: false },
      { path: 'pkg/server_test.go', kind: 'tests', deleted: false },
    ]);
  });
});

describe('the redactor', () => {
  it('masks known secret values and token shapes', () => {
    const redact = createRedactor(['sk-live-value-123', undefined, '', 'abc']);
    expect(redact('key sk-live-value-123 and ghp_0123456789abcdefghijklmnopqrstuvwxyz and abc')).toBe('key *** and *** and abc');
  });
});
