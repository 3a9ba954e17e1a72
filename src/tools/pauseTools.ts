import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { Pending } from '../records/pending.js';
import { inputSchema } from './inputSchema.js';

/**
 * Tools that end the run instead of returning a result: the answer comes in
 * a later run, from a person. The loop handles them; the toolbox only
 * describes them (and only when there is a thread to ask on).
 */
export const askUserInput = z.object({ question: z.string().min(1).describe('one clear question; say what you will do with each likely answer') });
export const requestApprovalInput = z.object({
  command: z.string().min(1).describe('the exact command to run once approved'),
  reason: z.string().min(1).describe('why it is needed'),
});

const PAUSE_TOOLS = {
  ask_user: askUserInput,
  request_approval: requestApprovalInput,
} as const;

export function isPauseTool(name: string): name is keyof typeof PAUSE_TOOLS {
  return Object.hasOwn(PAUSE_TOOLS, name);
}

/** A pause call read into what the run waits on, or the error the model gets back when its input is not valid. */
export function pendingFromCall(call: Anthropic.Messages.ToolUseBlock): Pending | { error: string } {
  if (call.name === 'ask_user') {
    const input = askUserInput.safeParse(call.input);
    return input.success
      ? { kind: 'question', toolUseId: call.id, question: input.data.question }
      : { error: `Invalid input for ask_user:\n${z.prettifyError(input.error)}` };
  }
  const input = requestApprovalInput.safeParse(call.input);
  return input.success
    ? { kind: 'approval', toolUseId: call.id, command: input.data.command, reason: input.data.reason }
    : { error: `Invalid input for request_approval:\n${z.prettifyError(input.error)}` };
}

export const PAUSE_TOOL_DEFINITIONS: Anthropic.Messages.Tool[] = [
  {
    name: 'ask_user',
    description:
      'Ask the person who gave the task a question you cannot answer from the code. The run pauses (work so far is pushed) and resumes with their reply.',
    input_schema: inputSchema(askUserInput),
  },
  {
    name: 'request_approval',
    description: 'Ask for approval to run a command that approval_required holds back. The run pauses and resumes with approve or deny.',
    input_schema: inputSchema(requestApprovalInput),
  },
];

/** Commands that need a person's yes before they run (approval_required). */
export function approvalReason(command: string, patterns: RegExp[], approved: Set<string>): string | undefined {
  if (approved.has(command.trim())) return undefined;
  const hit = patterns.find((pattern) => pattern.test(command));
  return hit
    ? `This command needs approval (approval_required /${hit.source}/); it was not run. If it is really needed, call request_approval with the exact command and the reason: the run pauses until someone replies approve or deny.`
    : undefined;
}

/**
 * Built-in approval_required patterns. Guard rails, not a boundary: they
 * catch the usual spellings, with options and global flags in any order
 * (`curl -fsSL URL`, `wget -qO- URL`, `npm --otp=1 publish`, `git -C dir
 * branch -D x`), but a shell can always spell a command another way. What
 * holds whatever the spelling is the box the commands run in.
 */
export const DEFAULT_APPROVAL_REQUIRED = [
  // Any curl or wget: every argument that is not an option's value is a URL to fetch.
  String.raw`(?<![\w.-])(curl|wget)(?![\w.-])`,
  String.raw`(?<![\w.-])(npm|pnpm|yarn|bun|lerna|changeset)(?![\w.-])[^\n;&|]*\spublish(?![\w.-])`,
  String.raw`(?<![\w.-])(cargo|gem|twine|poetry|flit|hatch|uv|nuget|docker|podman)(?![\w.-])[^\n;&|]*\s(publish|push|upload)(?![\w.-])`,
  String.raw`(?<![\w.-])(mvn|gradle|gradlew)(?![\w.-])[^\n;&|]*\s(deploy|publish)(?![\w.-])`,
  String.raw`(?<![\w.-])git(?:\s+(?:-[cC]\s+\S+|--?[\w-]+(?:=\S+)?))*\s+push(?![\w.-])[^\n;&|]*\s(?:--delete(?![\w-])|-d(?![\w-])|\+?:\S)`,
  String.raw`(?<![\w.-])git(?:\s+(?:-[cC]\s+\S+|--?[\w-]+(?:=\S+)?))*\s+branch(?![\w.-])[^\n;&|]*\s(?:-[a-zA-Z]*[dD][a-zA-Z]*|--delete)(?![\w-])`,
];
