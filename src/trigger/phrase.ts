/**
 * Whether `text` asks for the agent: the phrase as a whole word,
 * case-insensitive, outside fenced or inline code, quoted reply lines and
 * HTML comments — so quoting an earlier request or documenting the phrase
 * does not start a run.
 */
export function mentionsPhrase(text: string, phrase: string): boolean {
  const visible = text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/^(```|~~~)[\s\S]*?(^\1|(?![\s\S]))/gm, '')
    .replace(/`[^`\n]*`/g, '')
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w@./-])${escaped}(?![\\w-])`, 'i').test(visible);
}

/** The request with the phrase taken out: what the person asked for. */
export function stripPhrase(text: string, phrase: string): string {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`${escaped}(?![\\w-])[,:]?`, 'gi'), '').trim();
}
