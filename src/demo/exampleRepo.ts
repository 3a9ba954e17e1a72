/**
 * The small repository the demo works on: a slug helper with a real bug and
 * a test that catches it. Tests run with `node --test`, so the demo needs
 * nothing but Node.
 */
export const EXAMPLE_TASK =
  'slugify("  Hello,   World!  ") returns "-hello-world-" instead of "hello-world". ' +
  'Make slugify collapse runs of separators into one dash and trim dashes from both ends.';

export const EXAMPLE_VERIFY = 'node --test';

export const EXAMPLE_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'textkit', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': '# textkit\n\nSmall text helpers.\n',
  '.gitignore': 'node_modules/\n',
  'src/slugify.js': `/** Turns a title into a URL slug. */
export function slugify(title) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-');
}
`,
  'src/truncate.js': `/** Shortens text to at most \`max\` characters, ending with an ellipsis when cut. */
export function truncate(text, max) {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
`,
  'test/slugify.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slugify } from '../src/slugify.js';

test('lowercases and joins words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('collapses separators and trims the ends', () => {
  assert.equal(slugify('  Hello,   World!  '), 'hello-world');
});
`,
  'test/truncate.test.js': `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { truncate } from '../src/truncate.js';

test('keeps short text', () => {
  assert.equal(truncate('abc', 5), 'abc');
});
`,
};
