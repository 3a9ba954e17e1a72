import { asUntrustedBlock } from './untrusted.js';

/** The end of the diff hunk kept for the model: GitHub's hunk ends at the commented line, so the tail is what matters. */
const MAX_HUNK_LINES = 60;
const MAX_HUNK_CHARS = 6_000;

/** The fields of a review comment that say where it points (webhook `pull_request_review_comment.comment`). */
export interface ReviewSpot {
  path: string;
  line?: number | null;
  start_line?: number | null;
  side?: 'LEFT' | 'RIGHT' | null;
  start_side?: 'LEFT' | 'RIGHT' | null;
  original_line?: number | null;
  original_start_line?: number | null;
  subject_type?: 'line' | 'file' | null;
  diff_hunk?: string | null;
}

/**
 * Where a review comment points, for the instruction ("this" is line 42 of
 * that file), and the diff hunk it was written on, bounded and as untrusted
 * data, for the context.
 */
export function reviewLocation(spot: ReviewSpot, author: string): { where: string; hunk?: string } {
  const file = `\`${spot.path.replace(/`/g, '')}\``;
  if (spot.subject_type === 'file') return { where: `The review comment is about the file ${file} as a whole.` };
  const outdated = spot.line == null;
  const end = spot.line ?? spot.original_line ?? undefined;
  const start = (outdated ? spot.original_start_line : spot.start_line) ?? undefined;
  const lines = end === undefined ? 'an unknown line' : start !== undefined && start !== end ? `lines ${start}–${end}` : `line ${end}`;
  const side = spot.side ? ` on the ${spot.side === 'LEFT' ? 'LEFT side (the old version, before the change)' : 'RIGHT side (the new version)'}` : '';
  const startSide = spot.start_side && spot.side && spot.start_side !== spot.side ? ` (starting on the ${spot.start_side} side)` : '';
  const stale = outdated ? ' The comment is outdated: those lines are from an earlier commit of the pull request and may have moved.' : '';
  const where = `The review comment is on ${lines} of ${file}${side}${startSide}.${stale}`;
  const hunk = (spot.diff_hunk ?? '').trim();
  if (hunk === '' || hunk === '@@') return { where };
  return {
    where,
    hunk: `The diff hunk the comment was written on (it ends at the commented line):\n${asUntrustedBlock(`diff hunk of ${spot.path}`, author, boundHunk(hunk))}`,
  };
}

function boundHunk(hunk: string): string {
  let lines = hunk.split('\n');
  const cut = lines.length > MAX_HUNK_LINES ? lines.length - MAX_HUNK_LINES : 0;
  lines = lines.slice(cut);
  let text = lines.join('\n');
  if (text.length > MAX_HUNK_CHARS) text = text.slice(text.length - MAX_HUNK_CHARS);
  return cut > 0 || text.length < lines.join('\n').length ? `[… earlier lines of the hunk cut]\n${text}` : text;
}
