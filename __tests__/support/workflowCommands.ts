/**
 * The workflow commands the Actions runner would act on in a step's output,
 * parsed as the runner does (actions/runner ActionCommand.TryParseV2, then
 * the legacy TryParse): lines split at \n, \r and \r\n; `::name props::data`
 * at the start of a line after leading whitespace; `##[name props]data`
 * anywhere in a line, for registered command names only.
 */
export const REGISTERED_COMMANDS = [
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
  'stop-commands',
];

export interface WorkflowCommand {
  command: string;
  data: string;
  line: string;
}

export function workflowCommands(output: string): WorkflowCommand[] {
  const found: WorkflowCommand[] = [];
  for (const line of output.split(/\r\n|\r|\n/)) {
    const v2 = parseV2(line);
    if (v2) {
      found.push(v2);
      continue;
    }
    const v1 = parseV1(line);
    if (v1) found.push(v1);
  }
  return found;
}

function parseV2(line: string): WorkflowCommand | undefined {
  // .NET's TrimStart trims Unicode white space, which includes U+0085.
  const message = line.replace(/^[\s\u0085]+/, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (command === '') return undefined;
  return { command, data: message.slice(end + 2), line };
}

function parseV1(line: string): WorkflowCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const close = line.indexOf(']', prefix);
  if (close < 0) return undefined;
  const info = line.slice(prefix + 3, close);
  const space = info.indexOf(' ');
  const command = space < 0 ? info : info.slice(0, space);
  if (!REGISTERED_COMMANDS.includes(command)) return undefined;
  return { command, data: line.slice(close + 1), line };
}
