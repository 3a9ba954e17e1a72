import { inertReferences } from './inertMarkdown.js';

/** Small formatters shared by the summary, the PR body and the progress comment. */

export function formatUsd(value: number): string {
  return `$${value.toFixed(value < 1 ? 4 : 2)}`;
}

export function formatTokens(value: number): string {
  return value.toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${Math.round(seconds % 60)}s`;
}

/** Escapes text for a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Text as inline code, whatever it holds: the backtick fence is longer than
 * any run of backticks inside, so a file name like ``a`b`` cannot end the span
 * early and turn the rest into markdown. Mentions inside code never notify.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, ' ');
  if (flat === '') return '` `';
  const fence = '`'.repeat(longestRun(flat, '`') + 1);
  // One space each side is stripped by the renderer; it keeps a leading or trailing backtick apart from the fence.
  const pad = /^[` ]|[` ]$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${inertReferences(flat)}${pad}${fence}`;
}

/** Text as a fenced code block whose fence no line inside can close. */
export function codeBlock(text: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}\n${text}\n${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const each of text) {
    current = each === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/**
 * Control and format characters (bidirectional overrides, zero-width
 * characters) spelled out as `\u{…}`: a command a person is asked to
 * approve must read exactly as it will run.
 */
export function revealInvisible(text: string): string {
  return text.replace(/(?![\n\t])[\p{Cc}\p{Cf}\u2028\u2029]/gu, (char) => `\\u{${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/** Quotes text as a markdown blockquote, line by line. */
export function quote(text: string): string {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}

export const STATUS_LABEL: Record<string, string> = {
  completed: '✅ completed',
  failed: '❌ failed',
  'budget-exhausted': '⏳ budget exhausted',
  cancelled: '🛑 cancelled',
  stuck: '🔁 stuck',
  declined: '🚫 declined',
  skipped: '⏭️ skipped',
  refused: '⛔ refused',
  'needs-input': '❓ needs input',
  'needs-approval': '✋ needs approval',
};

/** Lowers markdown headings by `levels`, so the agent's `## Summary` sits under our `###` sections. */
export function demoteHeadings(text: string, levels = 2): string {
  let inFence = false;
  return text
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      return !inFence && /^#{1,6}\s/.test(line) ? `${'#'.repeat(levels)}${line}`.replace(/^#{7,}/, '######') : line;
    })
    .join('\n');
}
