/**
 * Markdown the model or an issue wrote, made inert before it goes into the
 * pull request body, the issue comment, the progress comment or the job
 * summary: it must not notify people (`@user`, `@org/team`), close issues
 * (`Fixes #1`, `closes owner/repo#2`), carry raw HTML (`<details>`, `<!--`
 * would hide the evidence that follows) or leave a code fence open that
 * swallows our own sections. Everything else renders as the author wrote it.
 *
 * The breaks are a zero-width space after `@` and after a closing keyword
 * (invisible, and GitHub matches neither then), and `&lt;`/`&amp;` outside
 * code. Code (fenced blocks, inline code spans) shows text literally, so
 * mentions and HTML are left alone there; closing keywords are broken
 * everywhere, because GitHub may read them from the raw text.
 */

const ZWSP = '\u200b';

/**
 * GitHub's closing keywords when an issue reference follows (optionally after
 * a colon or emphasis marks): `#1`, `GH-1`, `owner/repo#1`, or an issue URL.
 */
const CLOSING_REFERENCE = /\b(close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?=[\s*_~:]*(?:#\d|gh-\d|[\w.-]+\/[\w.-]+#\d|https?:\/\/))/gi;

/** `@name` or `@org/team` where GitHub would notify: not after a letter, digit or `_` (an e-mail address). */
const MENTION = /(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])/g;

/**
 * Web addresses GitHub turns into links (a dotted host name), where it does
 * not mention: they are left whole.
 */
const URL = /\bhttps?:\/\/[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:[/?#][^\s<>()]*)?/g;

/**
 * Tags GitHub keeps in rendered markdown. Inside what we take for a code span
 * these are still escaped: if GitHub parsed the span differently, an unclosed
 * `<details>` or `<b>` would swallow or restyle everything after it.
 */
const KEPT_TAGS = new Set(
  (
    'a abbr b bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ' +
    'ol p picture pre q rp rt ruby s samp small source span strike strong sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr'
  ).split(' '),
);

/** Closing keywords followed by an issue reference, with the link between them broken. */
export function inertReferences(text: string): string {
  return text.replace(CLOSING_REFERENCE, `$1${ZWSP}`);
}

/**
 * Plain text for one line of our own markdown (a note, a reason, a tool call
 * summary, a title): on one line, never a mention, a closing reference, HTML
 * or a link. Backticks that pair within the text stay code (our own reasons
 * quote commands that way); a lone one is escaped, so it cannot pair with a
 * backtick of ours and turn our markup into code.
 */
export function inertInline(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, ' ');
  let out = '';
  let last = 0;
  for (const [start, end] of codeSpans(flat)) {
    out += inlineText(flat.slice(last, start)) + inertCode(flat.slice(start, end));
    last = end;
  }
  return inertReferences(out + inlineText(flat.slice(last)));
}

/**
 * Plain text over several lines, each as `inertInline` makes it: for our own
 * reasons, which may list things (every bad input). Blank lines are dropped
 * and no line can open a code fence or start a heading or quote, so it stays
 * one paragraph (a list at most).
 */
export function inertLines(text: string): string {
  return (
    text
      .split(/\r\n|\r|\n/)
      .filter((line) => line.trim() !== '')
      // A line cannot open a fence, or become a heading or a quote that passes for ours.
      .map((line) => inertInline(line).replace(/^(\s*)(?=[~#>]|[=-]+\s*$)/, '$1\\'))
      .join('\n')
  );
}

function inlineText(text: string): string {
  return outsideUrls(text, (part) =>
    part
      .replace(/[\\`[\]]/g, '\\$&')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(MENTION, `@${ZWSP}`),
  );
}

/**
 * A block of markdown (the agent's report, a question, an issue's text):
 * formatting kept, mentions, closing references and HTML made inert, and
 * code fences that would reach past the block closed or broken.
 */
export function inertBlock(markdown: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(inertParagraph(paragraph.join('\n')));
    paragraph = [];
  };
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      out.push(inertReferences(line));
      continue;
    }
    const opener = /^(`{3,}|~{3,})(.*)$/.exec(line);
    // A backtick fence's info string cannot hold a backtick; such a line is text.
    if (opener && !(opener[1]!.startsWith('`') && opener[2]!.includes('`'))) {
      flush();
      fence = { char: opener[1]![0]!, length: opener[1]!.length };
      out.push(inertReferences(line));
      continue;
    }
    if (line.trim() === '') {
      flush();
      out.push(line);
      continue;
    }
    if (STARTS_BLOCK.test(line)) flush();
    paragraph.push(breakFenceLike(line));
  }
  flush();
  // A fence still open would turn everything after the block into code.
  if (fence) out.push(fence.char.repeat(fence.length));
  return out.join('\n');
}

/** Lines that start a new block, so a code span cannot run across them. */
const STARTS_BLOCK = /^ {0,3}(?:#{1,6}(?:\s|$)|>|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|(?:[-*_=][ \t]*){3,}$|\|)/;

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  // Any indentation counts: ending the code early only makes more of the text inert.
  const match = /^\s*(`+|~+)[ \t]*$/.exec(line);
  return match !== null && match[1]!.startsWith(fence.char) && match[1]!.length >= fence.length;
}

/**
 * A fence that is indented or inside a list or quote depends on its
 * container for where it ends, which a line-by-line reading cannot know:
 * such a line is shown as text instead (its first fence character escaped).
 */
function breakFenceLike(line: string): string {
  return line.replace(/^((?:\s*(?:>|[-+*]\s|\d{1,9}[.)]\s))*\s*)(`{3,}|~{3,})/, (_match, lead: string, run: string) => `${lead}\\${run}`);
}

/**
 * One paragraph: inline code spans (as GitHub pairs backticks) kept as they
 * are, everything else made inert. A span counts only when the paragraph, its
 * line alone and its table cell alone all pair it the same way: what might be
 * text to GitHub is treated as text.
 */
function inertParagraph(text: string): string {
  const code = intersect([codeMask(text, [text]), codeMask(text, text.split('\n')), codeMask(text, text.split(/\n|(?<!\\)\|/))]);
  let out = '';
  let start = 0;
  for (let index = 1; index <= text.length; index += 1) {
    if (index === text.length || code[index] !== code[start]) {
      const part = text.slice(start, index);
      out += code[start] ? inertCode(part) : inertProse(part);
      start = index;
    }
  }
  return inertReferences(out);
}

function inertCode(span: string): string {
  return span.replace(/<(?=[!?/]|([A-Za-z][A-Za-z0-9]*)(?![A-Za-z0-9]))/g, (match, tag: string | undefined) =>
    tag === undefined || KEPT_TAGS.has(tag.toLowerCase()) ? '&lt;' : match,
  );
}

/** Text outside code: `&` and `<` as entities (unless already backslash-escaped), mentions broken, links left whole. */
function inertProse(text: string): string {
  return outsideUrls(text, (part) => {
    let out = '';
    for (let index = 0; index < part.length; index += 1) {
      const char = part[index]!;
      if (char === '\\' && index + 1 < part.length && isAsciiPunctuation(part[index + 1]!)) {
        out += char + part[index + 1]!;
        index += 1;
      } else if (char === '&') out += '&amp;';
      else if (char === '<') out += '&lt;';
      else out += char;
    }
    return out.replace(MENTION, `@${ZWSP}`);
  });
}

function outsideUrls(text: string, transform: (part: string) => string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL)) {
    out += transform(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + transform(text.slice(last));
}

/** Marks the characters of `text` that lie in a code span when each of `units` (consecutive pieces of it) is parsed alone. */
function codeMask(text: string, units: string[]): boolean[] {
  const mask = new Array<boolean>(text.length).fill(false);
  let offset = 0;
  for (const unit of units) {
    const at = text.indexOf(unit, offset);
    for (const [start, end] of codeSpans(unit)) mask.fill(true, at + start, at + end);
    offset = at + unit.length;
  }
  return mask;
}

/**
 * CommonMark code spans: a backtick run (not backslash-escaped) opens, the
 * next run of the same length closes; a run with no partner is literal.
 */
function codeSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length && isAsciiPunctuation(text[index + 1]!)) {
      index += 2;
      continue;
    }
    if (char !== '`') {
      index += 1;
      continue;
    }
    const length = runLength(text, index);
    const close = closingRun(text, index + length, length);
    if (close === undefined) {
      index += length;
      continue;
    }
    spans.push([index, close + length]);
    index = close + length;
  }
  return spans;
}

function closingRun(text: string, from: number, length: number): number | undefined {
  for (let index = text.indexOf('`', from); index !== -1;) {
    const run = runLength(text, index);
    if (run === length) return index;
    index = text.indexOf('`', index + run);
  }
  return undefined;
}

function runLength(text: string, at: number): number {
  let end = at;
  while (text[end] === '`') end += 1;
  return end - at;
}

function intersect(masks: boolean[][]): boolean[] {
  return masks[0]!.map((_value, index) => masks.every((mask) => mask[index]));
}

function isAsciiPunctuation(char: string): boolean {
  return /[!-/:-@[-`{-~]/.test(char);
}
