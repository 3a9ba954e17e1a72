import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { bashInput, runBash } from './bash.js';
import { EDITOR_NAME, editorInput, editorShape, runEditor } from './editor.js';
import { ToolInputError } from './errors.js';
import { listFiles, listFilesInput } from './listFiles.js';
import { runChecks, runChecksInput } from './runChecks.js';
import { searchCode, searchCodeInput } from './searchCode.js';
import type { ToolCall, ToolContext, ToolOutcome, Toolbox } from './types.js';

interface ToolSpec<Schema extends z.ZodType> {
  schema: Schema;
  /** What the model is shown, when the validating schema cannot be sent as is (the API takes no top-level union). */
  shownSchema?: z.ZodType;
  description: string;
  run: (ctx: ToolContext, input: z.output<Schema>) => Promise<ToolOutcome>;
}

function spec<Schema extends z.ZodType>(tool: ToolSpec<Schema>): ToolSpec<z.ZodType> {
  return tool as unknown as ToolSpec<z.ZodType>;
}

/** Every byte here travels with every request, so descriptions stay terse. */
const TOOLS: Record<string, ToolSpec<z.ZodType>> = {
  [EDITOR_NAME]: spec({ schema: editorInput, shownSchema: editorShape, description: 'View, create and edit files: view (file or directory), create, str_replace (exact, unique match), insert (after insert_line).', run: runEditor }),
  bash: spec({ schema: bashInput, description: 'Run a bash command in the repository root, in a fresh shell, with a time limit.', run: runBash }),
  list_files: spec({ schema: listFilesInput, description: 'List files git sees (tracked and untracked, .gitignore respected), optionally under path or matching a glob pattern.', run: listFiles }),
  search_code: spec({ schema: searchCodeInput, description: 'Search file contents with an extended regex (git grep); prints file:line:text.', run: searchCode }),
  run_checks: spec({ schema: runChecksInput, description: "Run the repository's declared verification commands and report each pass/fail with failing output.", run: (ctx) => runChecks(ctx) }),
};

/**
 * Claude 4 and later are trained on the Anthropic-defined editor and bash
 * tools; older or unknown models get the same tools as plain JSON schemas.
 */
export function supportsAnthropicToolTypes(model: string): boolean {
  return /^claude-(opus|sonnet|haiku|fable|mythos)-\d/.test(model) || /^claude-(fable|mythos)/.test(model);
}

export function createToolbox(ctx: ToolContext, opts: { anthropicToolTypes: boolean }): Toolbox {
  const definitions: Anthropic.Messages.ToolUnion[] = Object.entries(TOOLS).map(([name, tool]) => {
    if (opts.anthropicToolTypes && name === EDITOR_NAME) return { type: 'text_editor_20250728', name: EDITOR_NAME };
    if (opts.anthropicToolTypes && name === 'bash') return { type: 'bash_20250124', name: 'bash' };
    return { name, description: tool.description, input_schema: inputSchema(tool.shownSchema ?? tool.schema) };
  });
  const names = Object.keys(TOOLS).join(', ');

  return {
    definitions,
    async run(call: ToolCall): Promise<ToolOutcome> {
      const tool = TOOLS[call.name];
      if (!tool) return { content: `Unknown tool "${call.name}". Available tools: ${names}.`, isError: true };
      const parsed = tool.schema.safeParse(call.input ?? {});
      if (!parsed.success) return { content: `Invalid input for ${call.name}:\n${z.prettifyError(parsed.error)}`, isError: true };
      try {
        return await tool.run(ctx, parsed.data);
      } catch (error) {
        if (error instanceof ToolInputError) return { content: error.message, isError: true };
        return { content: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
      }
    },
  };
}

function inputSchema(schema: z.ZodType): Anthropic.Messages.Tool.InputSchema {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  // The meta-schema URL is bytes in every request that the API does not need.
  delete json.$schema;
  return { type: 'object', ...json } as Anthropic.Messages.Tool.InputSchema;
}
