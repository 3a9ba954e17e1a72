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
