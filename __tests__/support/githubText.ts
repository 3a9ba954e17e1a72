/**
 * What GitHub would act on in markdown it renders, read conservatively (as if
 * every part were text, code included): mentions that notify (html-pipeline's
 * MentionFilter pattern), closing keywords followed by an issue reference,
 * and raw HTML tags or comments.
 */
export function mentions(markdown: string): string[] {
  return [...markdown.matchAll(/(?:^|[^A-Za-z0-9_])@([A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)?)/g)].map((match) => match[1]!);
}

export function closingReferences(markdown: string): string[] {
  return [
    ...markdown.matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)[\s*_~:]*(#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+|https?:\/\/\S+\/(?:issues|pull)\/\d+)/gi),
  ].map((match) => match[0]);
}

export function htmlTags(markdown: string): string[] {
  return [...markdown.matchAll(/<(?:!--|\/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]))/g)].map((match) => match[0]);
}

/** Text outside code, where GitHub acts on mentions and HTML: fenced blocks and inline code spans removed. */
export function prose(markdown: string): string {
  let fence: string | undefined;
  const kept: string[] = [];
  for (const line of markdown.split('\n')) {
    const run = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (run && run[0] === fence[0] && run.length >= fence.length && line.trim() === run) fence = undefined;
      continue;
    }
    if (run) {
      fence = run;
      continue;
    }
    kept.push(line.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, ''));
  }
  return kept.join('\n');
}

/** Whether `line` sits in a fenced code block of `markdown`. */
export function inFence(markdown: string, line: string): boolean {
  let fence: string | undefined;
  for (const each of markdown.split('\n')) {
    if (each === line) return fence !== undefined;
    const run = /^ {0,3}(`{3,}|~{3,})/.exec(each)?.[1];
    if (fence && run && run[0] === fence[0] && run.length >= fence.length && each.trim() === run) fence = undefined;
    else if (!fence && run) fence = run;
  }
  throw new Error(`no line ${line}`);
}
