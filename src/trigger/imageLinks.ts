/** Most images one request hands to the model. */
export const MAX_IMAGES = 5;

/** An image link in the request: where it points, and its alt text (for naming it). */
export interface ImageLink {
  url: string;
  alt: string;
}

/**
 * The images a person attached to the text that triggered the run, in order
 * and without repeats: Markdown `![alt](url "title")` and HTML `<img src>`.
 * Only what GitHub renders counts: not inside HTML comments or code.
 */
export function imageLinks(text: string): ImageLink[] {
  const visible = text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/^(```|~~~)[\s\S]*?(^\1|(?![\s\S]))/gm, '')
    .replace(/`[^`\n]*`/g, '');
  const found: Array<{ at: number; link: ImageLink }> = [];
  for (const match of visible.matchAll(/!\[([^\]\n]*)\]\(\s*<?([^\s<>()]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g)) {
    found.push({ at: match.index, link: { url: match[2]!, alt: match[1]!.trim() } });
  }
  for (const match of visible.matchAll(/<img\b[^>]*>/gi)) {
    const tag = match[0];
    const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag);
    const url = src ? (src[1] ?? src[2] ?? src[3] ?? '').trim() : '';
    if (url === '') continue;
    const alt = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
    found.push({ at: match.index, link: { url: decodeEntities(url), alt: (alt?.[1] ?? alt?.[2] ?? '').trim() } });
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .map(({ link }) => link)
    .filter((link) => !seen.has(link.url) && Boolean(seen.add(link.url)));
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
