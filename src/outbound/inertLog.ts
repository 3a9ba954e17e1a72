/**
 * Makes text safe to print in an Actions log. The runner reads every line of
 * a step's output as a possible workflow command: a line that starts with
 * `::` after leading whitespace (`::add-mask::`, `::stop-commands::`,
 * `::error::`, `::set-output …`), and the legacy form `##[command]` anywhere
 * in a line. Text the model or an issue controls must not be able to issue
 * them, so each line that could is changed just enough not to parse.
 *
 * The runner splits lines at `\n`, `\r` and `\r\n`, and may compare strings
 * culture-sensitively (where zero-width and control characters are ignored):
 * so control and format characters are dropped, and the breaks use visible
 * characters, never invisible ones.
 */
export function inertLog(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(inertLine)
    .join('\n');
}

/** Control (but tab) and format characters: invisible in a log, and ignorable to a culture-sensitive comparison. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

function inertLine(line: string): string {
  const visible = line.replace(INVISIBLE, (char) => (char === '\t' ? char : '')).replaceAll('##[', '# #[');
  // `›` is visible punctuation: a line that starts with it can never start with `::`.
  return /^\s*::/.test(visible) ? `› ${visible}` : visible;
}
