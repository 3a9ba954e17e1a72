import * as actionsCore from '@actions/core';
import { inertLog } from './inertLog.js';

/**
 * The log door: `@actions/core`'s logging with every line redacted, and
 * `info` printed inert so no line of it can be read by the runner as a
 * workflow command (`warning`, `error` and `setFailed` escape line breaks
 * into a single command already). Modules that log import this, never
 * `@actions/core`, so every line goes through one door.
 */
let redact: (text: string) => string = (text) => text;

/** Called by `Outbound` once the run's secrets are known. */
export function redactLogsWith(redactor: (text: string) => string): void {
  redact = redactor;
}

export function info(message: string): void {
  actionsCore.info(inertLog(redact(message)));
}

export function warning(message: string): void {
  actionsCore.warning(redact(message));
}

export function setFailed(message: string): void {
  actionsCore.setFailed(redact(message));
}

/** Masks a value in the runner's log; a workflow command, so only inside Actions. */
export function setSecret(value: string): void {
  actionsCore.setSecret(value);
}
