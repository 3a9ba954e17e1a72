import type Anthropic from '@anthropic-ai/sdk';
import type { ProcessOptions, ProcessResult } from '../exec/runProcess.js';
import type { PrivateFiles } from '../guard/privateFiles.js';

/** What a tool hands back to the loop: text the model reads, and whether it is an error. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** Workspace-relative paths this call wrote (create, overwrite, replace, insert). */
  changedFiles?: string[];
  /** Further text blocks for the model after `content`: instructions for the directory this call worked in. */
  extra?: string[];
}

/** A tool call as the model made it; `input` is untrusted until a zod schema accepts it. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** Everything a tool needs to act; built once per run. */
export interface ToolContext {
  /** Absolute real path of the workspace root (GITHUB_WORKSPACE). */
  workspace: string;
  /** Environment for child processes, already scrubbed of secrets. */
  env: NodeJS.ProcessEnv;
  /** Per-command time limit for the shell tool and each check. */
  commandTimeoutMs: number;
  /** Bytes of output kept from one command (head and tail). */
  maxOutputBytes: number;
  /** The declared verification commands, one per entry (may be empty). */
  checks: string[];
  /** Aborted at the run's deadline or on cancellation: in-flight commands are killed. */
  signal: AbortSignal;
  /** protected_paths: readable, never writable by the editor (and reverted before commit whatever wrote them). */
  isProtected?: (relativePath: string) => boolean;
  /** Files of the run's own in the workspace (a provider's credentials file): never read, changed, listed or searched by a tool. */
  privateFiles?: PrivateFiles;
  /** blocked_commands: shell commands refused with a reason. */
  blockedCommands?: RegExp[];
  /** approval_required: commands that run only once a person approved them (exact strings in `approved`). */
  approvalRequired?: RegExp[];
  approved?: Set<string>;
  /** Nested instructions due for a workspace-relative path a call worked on (each given once). */
  instructionsFor?: (relativePath: string) => string[];
  /** Starts every process a tool runs: inside the box when there is one, else `runProcess` here. */
  exec?: (opts: ProcessOptions) => Promise<ProcessResult>;
}

export interface Toolbox {
  /** Tool definitions sent with every request (stable order, byte-identical between steps). */
  definitions: Anthropic.Messages.ToolUnion[];
  /** Runs one call; never throws for bad input or failing commands, only returns an error outcome. */
  run(call: ToolCall): Promise<ToolOutcome>;
  /**
   * Runs a command a person approved, past the guard rails (their explicit
   * yes outranks them), in the box like any other: how it ended, or why it
   * did not run.
   */
  runApproved(command: string): Promise<ApprovedRun>;
}

export type ApprovedRun =
  | { ran: true; outcome: ToolOutcome; exitCode: number | null; output: string; note?: string; blockedBy?: string }
  | { ran: false; why: string; blockedBy?: string };
