import type Anthropic from '@anthropic-ai/sdk';
import { agentEnv, CREDENTIAL_VARIABLES, refusedAgentEnv } from '../box/agentEnv.js';
import { openBoxInBackground } from '../box/openBox.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_BLOCKED_COMMANDS } from '../guard/blockedCommands.js';
import { protectedMatcher } from '../guard/protectedPaths.js';
import { ModelWithFallback } from '../model/fallback.js';
import { createModel } from '../model/model.js';
import { accessFiles, anthropicToolTypesOn, type ModelAccess } from '../model/access.js';
import { privateFiles } from '../guard/privateFiles.js';
import type { Task } from '../records/task.js';
import type { RepositoryInstructions } from '../instructions/loadInstructions.js';
import { NestedInstructions } from '../instructions/nested.js';
import { instructionsRecord } from '../instructions/record.js';
import { instructionsSystemText } from '../instructions/systemText.js';
import type { BoxRecord, InstructionsRecord } from '../records/report.js';
import type { ModelSwitch, SessionResult, StepRecord } from '../records/session.js';
import { DEFAULT_APPROVAL_REQUIRED } from '../tools/pauseTools.js';
import { runCheckCommands } from '../tools/runChecks.js';
import { createToolbox } from '../tools/toolbox.js';
import type { Toolbox, ToolContext } from '../tools/types.js';
import { errorMessage } from '../text/errorMessage.js';
import { VerificationGate } from '../verify/gate.js';
import { admitAt, type BudgetMeter } from './budget.js';
import { runAgent } from './loop.js';
import { systemPrompt, taskMessage } from './prompt.js';
import { Transcript } from './transcript.js';

/** Bytes of one command's output the model gets back, head and tail kept. */
const MAX_TOOL_OUTPUT_BYTES = 30_000;

export interface AgentSetup {
  toolbox: Toolbox;
  gate: VerificationGate;
  transcript: Transcript;
  /** protected_paths: changes to these are left out of the commit. */
  isProtected: (path: string) => boolean;
  /** Guard rails the reply hint names when a command waiting for approval also matches one. */
  blockedCommands: RegExp[];
  /** The session: the loop until it ends, however it ends (a bug of ours becomes a failed session, never lost work). */
  run(opts: {
    task: Pick<Task, 'instruction' | 'context' | 'images'>;
    resume?: { messages: Anthropic.Messages.MessageParam[]; answer: Anthropic.Messages.ContentBlockParam[] };
    onStep: (step: StepRecord) => void;
  }): Promise<SessionResult>;
  /** The instructions the model was given so far: root files, nested ones delivered, the workflow's. */
  instructions(): InstructionsRecord;
  /** Ends the agent's part: nothing of it may run while its work is read and published. */
  close(session: SessionResult): Promise<BoxRecord>;
}

export interface AgentSetupOptions {
  config: Config;
  /** The provider and its credentials. */
  access: ModelAccess;
  env: NodeJS.ProcessEnv;
  workspace: string;
  serverUrl: string;
  transcriptPath: string;
  meter: BudgetMeter;
  /** Secret values: none of them may reach the agent's environment. */
  secrets: string[];
  redact: (text: string) => string;
  canPause: boolean;
  cancel: AbortSignal;
  log: { info(line: string): void; warning(line: string): void };
  cleanups: Array<() => Promise<void>>;
  /** The repository's instructions (from the base branch) and the workflow's. */
  instructions: RepositoryInstructions;
  /** Whether the workspace is as the run found it: the gate then has nothing to verify. */
  workspaceUnchanged?: () => Promise<boolean>;
}

/**
 * Everything the agent works with: the box its commands run in (opening
 * while the first model request is on its way; with isolation: user, before
 * any model call), the tools, the verification gate, the transcript and the
 * system prompt, and the deadline that stops it in time to publish.
 */
export async function setUpAgent(opts: AgentSetupOptions): Promise<AgentSetup> {
  const { config, meter } = opts;
  const box = await startBox(opts);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), Math.max(0, meter.agentDeadline - Date.now()));
  const { system, nested } = promptAndInstructions(opts);
  const ctx = toolContext({ ...opts, exec: box.exec, signal: AbortSignal.any([deadline.signal, opts.cancel]), nested });
  const runChecks = (checks: string[]) => runCheckCommands(ctx, checks);
  const gate = new VerificationGate({ checks: config.verify, maxAttempts: config.verifyAttempts, runChecks, unchanged: opts.workspaceUnchanged });
  const transcript = new Transcript(opts.transcriptPath, opts.redact);
  const toolbox = createToolbox(ctx, { anthropicToolTypes: anthropicToolTypesOn(opts.access, config.model), pauseTools: opts.canPause });
  return {
    toolbox,
    gate,
    transcript,
    isProtected: ctx.isProtected,
    blockedCommands: ctx.blockedCommands,
    instructions: () => instructionsRecord(opts.instructions, nested),
    async run({ task, resume, onStep }) {
      if (resume) nested.restore(resume.messages);
      recordStart(transcript, { model: config.model, task, system, tools: toolbox.definitions });
      const { model, switched } = runModel(opts, transcript);
      try {
        const { maxOutputTokens, contextCeilingTokens } = config;
        const result = await runAgent({
          model,
          system,
          task: taskMessage(task),
          toolbox,
          meter,
          gate,
          transcript,
          resume,
          maxOutputTokens,
          contextCeilingTokens,
          deadline: deadline.signal,
          cancel: opts.cancel,
          onStep,
        });
        return withSwitch(result, switched());
      } catch (error) {
        return withSwitch(internalError(error, meter), switched());
      } finally {
        clearTimeout(timer);
      }
    },
    async close(session) {
      clearTimeout(timer);
      const record = await box.close();
      transcript.record({ type: 'box', box: record });
      for (const run of gate.runs) transcript.record({ type: 'verification', attempt: run.attempt, results: run.results });
      transcript.record({ type: 'end', status: session.status, reason: session.reason, maxRssMb: process.resourceUsage().maxRSS / 1024 });
      return record;
    },
  };
}

/**
 * The model the loop talks to: the run's, with `fallback_model` behind it when set. A request
 * re-sent to the fallback is planned again at the fallback's price first, as every request is
 * before it goes out; the switch is logged, written to the transcript and kept for the report.
 */
function runModel(opts: AgentSetupOptions, transcript: Transcript): { model: ModelWithFallback; switched: () => ModelSwitch | undefined } {
  const { config, access, meter } = opts;
  const fallbackId = config.fallbackModel;
  let record: ModelSwitch | undefined;
  const model = new ModelWithFallback({
    primary: createModel({ id: config.model, access }),
    fallback: fallbackId ? createModel({ id: fallbackId, access }) : undefined,
    admit: admitAt(meter),
    onSwitch(event) {
      record = { step: meter.snapshot().steps, from: event.from, to: event.to, error: event.error, at: new Date().toISOString() };
      transcript.record({ type: 'model-switch', step: record.step, from: event.from, to: event.to, error: event.error });
      opts.log.warning(`model ${event.from} failed at step ${record.step} (${event.error}); the run goes on with fallback_model ${event.to}`);
    },
  });
  return { model, switched: () => record };
}

/** A bug of ours during the session: a failed session, never lost work. */
function internalError(error: unknown, meter: BudgetMeter): SessionResult {
  return { status: 'failed', reason: `internal error: ${errorMessage(error)}`, finalText: '', steps: [], spent: meter.snapshot(), editedFiles: [] };
}

function withSwitch(result: SessionResult, modelSwitch: ModelSwitch | undefined): SessionResult {
  return modelSwitch ? { ...result, modelSwitch } : result;
}

/** The transcript's first line: what the model was given (an image by its size, never its bytes). */
function recordStart(
  transcript: Transcript,
  start: { model: string; task: Parameters<AgentSetup['run']>[0]['task']; system: string; tools: AgentSetup['toolbox']['definitions'] },
): void {
  const { task } = start;
  transcript.record({
    type: 'start',
    model: start.model,
    task: task.instruction,
    context: task.context,
    images: task.images?.map((image) => ({ url: image.url, mediaType: image.mediaType, bytes: Buffer.from(image.base64, 'base64').length })),
    system: start.system,
    tools: start.tools.map((tool) => ('name' in tool ? tool.name : tool.type)),
  });
}

/** The system prompt, the repository's root instructions in it, and the nested ones the tools deliver as the agent reaches them. */
function promptAndInstructions(opts: AgentSetupOptions): { system: string; nested: NestedInstructions } {
  const { instructions } = opts;
  return {
    system: systemPrompt({ checks: opts.config.verify, instructions: instructionsSystemText(instructions) }),
    nested: new NestedInstructions(instructions.nested, instructions.base?.branch ?? ''),
  };
}

/** The box the agent's commands run in: opening in the background, awaited first only when isolation is required. */
async function startBox(opts: AgentSetupOptions) {
  const box = openBoxInBackground({
    config: opts.config.box,
    workspace: opts.workspace,
    env: opts.env,
    serverUrl: opts.serverUrl,
    entry: { node: process.execPath, script: process.argv[1] ?? '' },
    privateFiles: accessFiles(opts.access),
  });
  if (opts.config.box.isolation.required) await box.ready;
  opts.cleanups.unshift(async () => void (await box.close()));
  void box.ready.then(
    (opened) => opts.log.info(opened.description),
    () => undefined,
  );
  return box;
}

/**
 * What every tool call runs with: the workspace, an environment with no
 * secret in it (a variable agent_env asks for that is a secret is refused,
 * and said so), the time limits and output cap, and the guard rails.
 */
function toolContext(
  opts: AgentSetupOptions & { exec: ToolContext['exec']; signal: AbortSignal; nested: NestedInstructions },
): ToolContext & Required<Pick<ToolContext, 'isProtected' | 'blockedCommands'>> {
  const { config } = opts;
  const secretNames = [...CREDENTIAL_VARIABLES, ...config.secretEnv];
  const own = privateFiles(opts.workspace, accessFiles(opts.access));
  for (const line of refusedAgentEnv({ extraNames: config.box.agentEnv, secretNames })) opts.log.warning(line);
  return {
    workspace: opts.workspace,
    env: agentEnv({ source: opts.env, extraNames: config.box.agentEnv, secretNames, secretValues: opts.secrets }),
    commandTimeoutMs: config.commandTimeoutMs,
    maxOutputBytes: MAX_TOOL_OUTPUT_BYTES,
    checks: config.verify,
    signal: opts.signal,
    isProtected: protectedMatcher(config.protectedPaths),
    privateFiles: own,
    blockedCommands: [...DEFAULT_BLOCKED_COMMANDS.map((pattern) => new RegExp(pattern)), ...config.blockedCommands],
    approvalRequired: [...DEFAULT_APPROVAL_REQUIRED.map((pattern) => new RegExp(pattern)), ...config.approvalRequired],
    approved: new Set<string>(),
    exec: opts.exec,
    instructionsFor: (path) => opts.nested.forPath(path),
  };
}
