/**
 * Whether `text` asks for the agent: the phrase as a whole word,
 * case-insensitive, outside fenced or inline code, quoted reply lines and
 * HTML comments — so quoting an earlier request or documenting the phrase
 * does not start a run.
 */
export function mentionsPhrase(text: string, phrase: string): boolean {
  return new RegExp(`(^|[^\\w@./-])${escape(phrase)}(?![\\w-])`, 'i').test(visibleText(text));
}

/** The request with the phrase taken out: what the person asked for. */
export function stripPhrase(text: string, phrase: string): string {
  return text.replace(new RegExp(`${escape(phrase)}(?![\\w-])[,:]?`, 'gi'), '').trim();
}

/** `@nightshift continue` (a top-up of a session stopped at its budget), with the amount it gives, or why the amount is not one. */
export type ContinueCommand = { amountUsd?: number } | { error: string };

/**
 * The phrase, then `continue` and at most one dollar amount (`$2`,
 * `$0.50`) ending its line, in visible text: a top-up. Anything else after
 * `continue` ("continue with the tests") is a task, not this command. An
 * amount that is not a positive `$N` is an error naming it and the form.
 */
export function continueCommand(text: string, phrase: string): ContinueCommand | undefined {
  const pattern = new RegExp(`(?:^|[^\\w@./-])${escape(phrase)}[,:]?[ \\t]+continue(?![\\w-])(?:[ \\t]+(\\S+?))?[ \\t]*[.!]?[ \\t]*$`, 'im');
  const match = pattern.exec(visibleText(text));
  if (!match) return undefined;
  const token = match[1];
  if (token === undefined) return {};
  const form = 'write the top-up as a dollar amount after continue, like $2 or $0.50';
  if (/^\$\d+(?:\.\d+)?$/.test(token)) {
    const amountUsd = Number(token.slice(1));
    return amountUsd > 0 ? { amountUsd } : { error: `continue ${token}: the top-up must be more than $0; ${form}` };
  }
  if (token.startsWith('$')) return { error: `continue ${token}: "${token}" is not a dollar amount; ${form}` };
  if (/^[-+]?[\d.,]+$/.test(token)) return { error: `continue ${token}: "${token}" has no dollar sign, so it is not taken as dollars; ${form}` };
  // A word after continue ("continue please") is a request in words: a task, not the command.
  return undefined;
}

/** The text a person sees: HTML comments, fenced and inline code, and quoted reply lines taken out. */
function visibleText(text: string): string {
  return text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/^(```|~~~)[\s\S]*?(^\1|(?![\s\S]))/gm, '')
    .replace(/`[^`\n]*`/g, '')
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

function escape(phrase: string): string {
  return phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
