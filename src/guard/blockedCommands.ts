/**
 * `blocked_commands` patterns: regular expressions matched against the whole
 * command line the agent asks to run. A match is refused with a reason the
 * model reads. This is a guard rail against mistakes, not a sandbox: a shell
 * can spell any command many ways, which is why secrets are kept out of the
 * environment and protected paths are checked again before commit.
 */
export function blockedReason(command: string, patterns: RegExp[]): string | undefined {
  const hit = patterns.find((pattern) => pattern.test(command));
  return hit
    ? `This command is blocked by the workflow's blocked_commands (/${hit.source}/); it was not run. Do the task another way, or say in your report why it is needed.`
    : undefined;
}

/**
 * Defaults that are never what an unattended fix needs. Guard rails too:
 * they catch the usual spellings (git's global options included) of what an
 * unattended run should not do; the credential kept out of the agent's reach
 * is what makes a push impossible, not these.
 */
export const DEFAULT_BLOCKED_COMMANDS = [
  String.raw`(?<![\w.-])git(?:\s+(?:-[cC]\s+\S+|--?[\w-]+(?:=\S+)?))*\s+push(?![\w.-])`,
  String.raw`(?<![\w.-])git(?:\s+(?:-[cC]\s+\S+|--?[\w-]+(?:=\S+)?))*\s+remote\s+(add|set-url)(?![\w.-])`,
  String.raw`(?<![\w.-])(curl|wget)(?![\w.-])[^\n]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh(?![\w.-])`,
  String.raw`\b(shutdown|reboot|mkfs)\b`,
  String.raw`\brm\s+-[a-zA-Z]*[rf][a-zA-Z]*\s+(/|~)(\s|$)`,
];
