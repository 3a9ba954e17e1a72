/**
 * Every comment and PR body the action writes starts with one of these, so a
 * later run can find its own comment, and the trigger never takes the
 * action's own words for a person's request.
 */
const MARKER_PREFIX = '<!-- nightshift';
export const PR_MARKER = `${MARKER_PREFIX} -->`;
export const PROGRESS_MARKER = `${MARKER_PREFIX}:progress -->`;
export const REPLY_MARKER = `${MARKER_PREFIX}:reply -->`;

/** Whether a comment or body was written by the action. */
export function writtenByUs(body: string | null | undefined): boolean {
  return (body ?? '').includes(MARKER_PREFIX);
}
