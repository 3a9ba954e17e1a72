import { codeBlock, codeSpan } from '../../src/text/format.js';
import { inertBlock, inertInline, inertLines, inertReferences } from '../../src/text/inertMarkdown.js';
import { closingReferences, htmlTags, mentions, prose } from '../support/githubText.js';

const Z = '\u200b';

describe('closing references', () => {
  it.each(['Fixes #1', 'fixes: #12', 'Closes octo/other#2', 'resolved https://github.com/octo/demo/issues/3', 'CLOSED GH-4', '**Fixes** #5', 'fix\n#6'])(
    '%j no longer closes an issue',
    (text) => {
      expect(closingReferences(text)).not.toEqual([]);
      expect(closingReferences(inertReferences(text))).toEqual([]);
    },
  );

  it('leaves references and the words alone otherwise', () => {
    expect(inertReferences('See #1; this fixes the crash, and closes the gap.')).toBe('See #1; this fixes the crash, and closes the gap.');
  });
});

describe('inline text', () => {
  it('shows a tool summary literally: no mention, closing reference, HTML or link', () => {
    const text = inertInline('bash: echo @alice <img src=x> [click](https://evil.example) Fixes #1 cc @org/team\nnext');
    expect(text).toBe(`bash: echo @${Z}alice &lt;img src=x> \\[click\\](https://evil.example) Fixes${Z} #1 cc @${Z}org/team next`);
    expect(mentions(text)).toEqual([]);
    expect(htmlTags(text)).toEqual([]);
    expect(closingReferences(text)).toEqual([]);
  });

  it('keeps code that pairs within the text, and escapes a lone backtick so it cannot pair with ours', () => {
    expect(inertInline('checks still failing: `node --test` and `@alice <T>`')).toBe('checks still failing: `node --test` and `@alice <T>`');
    expect(inertInline('echo `@alice <b>')).toBe(`echo \\\`@${Z}alice &lt;b>`);
    expect(mentions(prose(`${inertInline('a `b @alice')} and \`ours\``))).toEqual([]);
  });

  it('keeps e-mail addresses, links and ordinary punctuation as they were', () => {
    expect(inertInline('mail bob@example.com, see https://github.com/@alice: "-" or "_"?')).toBe(
      'mail bob@example.com, see https://github.com/@alice: "-" or "_"?',
    );
  });

  it('breaks a mention that only looks like a link', () => {
    expect(mentions(inertInline('https://@alice'))).toEqual([]);
  });
});

describe('markdown blocks', () => {
  it('keeps ordinary markdown as written', () => {
    const report = '## Summary\nFixed `slugify` in *src/a.ts* ([docs](https://example.com/a?b=1&c=2)).\n\n```js\nconst a = b < c && d;\n```\n\n- one\n- two';
    expect(inertBlock(report)).toBe(report.replace('?b=1&c=2', '?b=1&c=2'));
  });

  it('breaks mentions and HTML in text, not in code', () => {
    const block = inertBlock('Thanks @alice & @org/team <details><summary>x</summary>\n\n`@bob <T>` and `Map<string, number>`\n\n```\n@carol <div>\n```');
    expect(block).toBe(
      `Thanks @${Z}alice &amp; @${Z}org/team &lt;details>&lt;summary>x&lt;/summary>\n\n\`@bob <T>\` and \`Map<string, number>\`\n\n\`\`\`\n@carol <div>\n\`\`\``,
    );
  });

  it('escapes tags GitHub keeps even inside what looks like code, in case GitHub pairs the backticks otherwise', () => {
    expect(inertBlock('`<details>` and `</b>` and `<!-- x -->`')).toBe('`&lt;details>` and `&lt;/b>` and `&lt;!-- x -->`');
  });

  it('does not trust a code span GitHub would not see: across table cells, or opened by an escaped backtick', () => {
    expect(mentions(inertBlock('| `a | @alice | b` |\n| - | - | - |'))).toEqual([]);
    expect(mentions(inertBlock('\\`@alice` x'))).toEqual([]);
    expect(htmlTags(inertBlock('`x\ny` <details> `z`'))).toEqual([]);
  });

  it('breaks closing references everywhere, code included', () => {
    const block = inertBlock('Fixes #1\n\n`closes #2`\n\n```\nresolves octo/demo#3\n```');
    expect(closingReferences(block)).toEqual([]);
  });

  it('closes a fence left open, so it cannot swallow what follows', () => {
    expect(inertBlock('text\n```js\ncode')).toBe('text\n```js\ncode\n```');
    expect(inertBlock('~~~~\ncode\n~~~')).toBe('~~~~\ncode\n~~~\n~~~~');
    expect(inertBlock('````\n```\nstill code')).toBe('````\n```\nstill code\n````');
  });

  it('shows a fence that depends on its container as text', () => {
    expect(inertBlock('- step\n  ```\n<!-- hide\n```')).toBe('- step\n  \\```\n&lt;!-- hide\n```\n```');
    expect(inertBlock('> ```\n> <b>')).toBe('> \\```\n> &lt;b>');
  });

  it('breaks an HTML comment or block at the start of a line', () => {
    expect(htmlTags(inertBlock('<!-- the rest is hidden\n\n<details>\n<summary>x</summary>'))).toEqual([]);
  });

  it('leaves backslash escapes as written', () => {
    expect(inertBlock('a \\< b \\& c')).toBe('a \\< b \\& c');
  });
});

describe('code', () => {
  it('a code span holds any text, backticks included, without ending early', () => {
    expect(codeSpan('src/a.ts')).toBe('`src/a.ts`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x` @alice `y`')).toBe('`` `x` @alice `y` ``');
    expect(codeSpan('fixes #1.txt')).toBe(`\`fixes${Z} #1.txt\``);
    expect(codeSpan('a\nb')).toBe('`a b`');
  });

  it('a code block holds any text, fences included', () => {
    expect(codeBlock('out\n```\n@alice')).toBe('````\nout\n```\n@alice\n````');
    expect(codeBlock('plain')).toBe('```\nplain\n```');
  });
});

describe('text over several lines', () => {
  it('keeps each line, inert, in one paragraph no fence can open', () => {
    expect(inertLines('Invalid inputs:\n  - max_steps must be ≥ 1, got @alice\n\n~~~\n```\n# ✅ passed\n> quoted\n===')).toBe(
      `Invalid inputs:\n  - max_steps must be ≥ 1, got @${Z}alice\n\\~~~\n\\\`\\\`\\\`\n\\# ✅ passed\n\\> quoted\n\\===`,
    );
  });
});
