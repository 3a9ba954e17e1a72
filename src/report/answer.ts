import type { RunReport } from '../records/report.js';
import { inertBlock } from '../text/inertMarkdown.js';

/**
 * Characters of the answer a comment carries: GitHub refuses a comment body
 * over 65,536 characters, and the progress comment's own lines and notes
 * need room beside it.
 */
export const MAX_ANSWER_CHARS = 60_000;

/**
 * The agent's reply as the run's comment: model text, so inert (no mention
 * notifies, no HTML, no fence reaching past it), and cut to fit a comment,
 * at a code point and saying so.
 */
export function renderAnswer(finalText: string, limit = MAX_ANSWER_CHARS): string {
  const text = finalText.trim();
  const whole = inertBlock(text);
  if (whole.length <= limit) return whole;
  const note = `\n\n_[… the answer was cut to fit a comment (${text.length.toLocaleString('en-US')} characters); all of it is in the job summary and the transcript.]_`;
  // Inert text can be longer than its source (`<` becomes `&lt;`): shrink the source until the result fits.
  let keep = Math.min(text.length, limit - note.length);
  for (;;) {
    const cut = inertBlock(text.slice(0, codePointEnd(text, keep)).trimEnd());
    if (cut.length + note.length <= limit) return `${cut}${note}`;
    keep = Math.floor((keep * (limit - note.length)) / (cut.length + 1));
  }
}

/** A cut at `index` that does not split a surrogate pair. */
function codePointEnd(text: string, index: number): number {
  const code = text.charCodeAt(index - 1);
  return index > 0 && code >= 0xd800 && code <= 0xdbff ? index - 1 : index;
}

/** The line under an answer that says what the run did, for the comment and the summary. */
export function answeredLine(report: RunReport): string {
  const skipped = report.verification.skipped ? ' The verify commands were not run: there was nothing to verify.' : '';
  return `Nightshift answered in the thread: no files were changed, so there is no branch or pull request.${skipped}`;
}
