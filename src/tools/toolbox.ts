import type Anthropic from '@anthropic-ai/sdk';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { BASH_NAME, bashInput, runBash, runCommand } from './bash.js';
import { EDITOR_NAME, editorCommands, editorInput, runEditor } from './editor.js';
import { ToolInputError } from './errors.js';
import { inputSchema } from './inputSchema.js';
import { listFiles, listFilesInput } from './listFiles.js';
import { runChecks, runChecksInput } from './runChecks.js';
import { searchCode, searchCodeInput } from './searchCode.js';
import { PAUSE_TOOL_DEFINITIONS } from './pauseTools.js';
import type { ApprovedRun, ToolCall, ToolContext, ToolOutcome, Toolbox } from './types.js';

interface ToolSpec {
  /** Validates the model's input. */
  schema: z.ZodType;
  /** What the JSON schema is made from, when the validating schema cannot be shown as is (a preprocess step). */
  shownSchema?: z.ZodType;
  description: string;
  /** The Anthropic-defined tool that replaces this definition for models trained on it. */
  anthropicType?: 'text_editor_20250728' | 'bash_20250124';
  run: (ctx: ToolContext, input: never) => Promise<ToolOutcome>;
}

/** Every byte here travels with every request, so descriptions stay terse. Order is the order sent. */
const TOOLS: Record<string, ToolSpec> = {
  [EDITOR_NAME]: {
    schema: editorInput,
    shownSchema: editorCommands,
    anthropicType: 'text_editor_20250728',
    description: 'View a file (numbered lines) or directory; create a file; str_replace an exact unique string; insert after a line.',
    run: runEditor,
  },
  [BASH_NAME]: {
    schema: bashInput,
    anthropicType: 'bash_20250124',
    description: 'Run a command with bash in the repository root. Each call is a fresh shell with a time limit; stdin is closed.',
    run: runBash,
  },
  list_files: {
    schema: listFilesInput,
    description: 'List files git sees (tracked and untracked, .gitignore respected).',
    run: listFiles,
  },
  search_code: {
    schema: searchCodeInput,
    description: 'Search file contents (git grep); prints file:line:text.',
    run: searchCode,
  },
  run_checks: {
    schema: runChecksInput,
    description: "Run the repository's declared verification commands; reports each pass/fail with the failing output.",
    run: runChecks,
  },
};

const TOOL_NAMES = Object.keys(TOOLS).join(', ');

/** Definitions are built once per flavour: byte-identical on every request, so the prompt cache holds. */
const definitionCache = new Map<boolean, Anthropic.Messages.ToolUnion[]>();

function definitionsFor(anthropicToolTypes: boolean): Anthropic.Messages.ToolUnion[] {
  let definitions = definitionCache.get(anthropicToolTypes);
  if (!definitions) {
    definitions = Object.entries(TOOLS).map(([name, tool]): Anthropic.Messages.ToolUnion => {
      if (anthropicToolTypes && tool.anthropicType === 'text_editor_20250728') return { type: tool.anthropicType, name: EDITOR_NAME };
      if (anthropicToolTypes && tool.anthropicType === 'bash_20250124') return { type: tool.anthropicType, name: BASH_NAME };
      return { name, description: tool.description, input_schema: inputSchema(tool.shownSchema ?? tool.schema) };
    });
    definitionCache.set(anthropicToolTypes, definitions);
  }
  return definitions;
}

/**
 * The tools the agent gets. `run` never throws: unknown tools, input that
 * fails its schema, input the tool refuses and unexpected failures all come
 * back as error results the model can read and act on.
 */
export function createToolbox(ctx: ToolContext, opts: { anthropicToolTypes: boolean; pauseTools?: boolean }): Toolbox {
  return {
    definitions: opts.pauseTools ? [...definitionsFor(opts.anthropicToolTypes), ...PAUSE_TOOL_DEFINITIONS] : definitionsFor(opts.anthropicToolTypes),
    async run(call: ToolCall): Promise<ToolOutcome> {
      const tool = Object.hasOwn(TOOLS, call.name) ? TOOLS[call.name] : undefined;
      if (!tool) return { content: `Unknown tool "${call.name}". Available tools: ${TOOL_NAMES}.`, isError: true };
      const parsed = tool.schema.safeParse(call.input ?? {});
      if (!parsed.success) return { content: `Invalid input for ${call.name}:\n${z.prettifyError(parsed.error)}`, isError: true };
      let outcome: ToolOutcome;
      try {
        outcome = await tool.run(ctx, parsed.data as never);
      } catch (error) {
        outcome = { content: error instanceof ToolInputError ? error.message : `tool ${call.name} failed: ${messageOf(error)}`, isError: true };
      }
      return withInstructions(ctx, parsed.data, outcome);
    },
    runApproved: (command) => runApproved(ctx, command),
  };
}

/**
 * A call that named a path (the editor, list_files, search_code) works under
 * that directory: nested instructions due there ride on its result, whether
 * or not the call itself went well — the agent is working there either way.
 */
function withInstructions(ctx: ToolContext, input: unknown, outcome: ToolOutcome): ToolOutcome {
  const path = typeof input === 'object' && input !== null && 'path' in input && typeof input.path === 'string' ? input.path : undefined;
  if (!ctx.instructionsFor || path === undefined) return outcome;
  const lexical = relative(ctx.workspace, isAbsolute(path) ? resolve(path) : resolve(ctx.workspace, path))
    .split(sep)
    .join('/');
  if (lexical === '' || lexical === '..' || lexical.startsWith('../') || isAbsolute(lexical)) return outcome;
  const extra = ctx.instructionsFor(lexical);
  return extra.length > 0 ? { ...outcome, extra: [...(outcome.extra ?? []), ...extra] } : outcome;
}

async function runApproved(ctx: ToolContext, command: string): Promise<ApprovedRun> {
  const blockedBy = ctx.blockedCommands?.find((pattern) => pattern.test(command))?.source;
  if (ctx.signal.aborted) return { ran: false, why: 'the run was ending before it could start', blockedBy };
  ctx.approved?.add(command.trim());
  const { outcome, result, note } = await runCommand(ctx, command);
  return { ran: true, outcome, exitCode: result.exitCode, output: result.output, note, blockedBy };
}

/** The message of anything thrown; errors from another realm (a VM context) fail `instanceof Error`. */
function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
