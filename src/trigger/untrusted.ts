/** Longest untrusted text handed to the model from one source. */
const MAX_UNTRUSTED_CHARS = 20_000;

/** Zero-width, bidi-control and soft-hyphen characters: invisible to a reviewer, readable by a model. */
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Removes what a person reading the issue on GitHub would not see: HTML
 * comments (also an unterminated one), invisible characters. Caps length.
 */
export function sanitizeUntrusted(text: string): string {
  let clean = text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(INVISIBLE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\n{4,}/g, '\n\n\n')
    .trim();
  if (clean.length > MAX_UNTRUSTED_CHARS) clean = `${clean.slice(0, MAX_UNTRUSTED_CHARS)}\n[… ${clean.length - MAX_UNTRUSTED_CHARS} characters cut]`;
  return clean;
}

/**
 * Wraps text from issues and comments as data: the model is told that what
 * stands inside these tags is context from other people, never instructions.
 * A closing tag inside the text is neutralised so it cannot end the block early.
 */
export function asUntrustedBlock(source: string, author: string, text: string): string {
  const body = sanitizeUntrusted(text).replace(/<\/?untrusted_content/gi, (tag) => tag.replace('<', '&lt;'));
  return `<untrusted_content source="${attr(source)}" author="${attr(author)}">\n${body}\n</untrusted_content>`;
}

function attr(value: string): string {
  return value.replace(/[^\w .#@[\]/-]/g, '');
}
