import * as actionsCore from '@actions/core';
import { inertLog } from './inertLog.js';

/**
 * `@actions/core` with one change: `info` prints its text inert, so no line
 * of it can be read by the runner as a workflow command. `info` is the one
 * function that prints its text raw (`warning`, `error` and `setFailed`
 * escape line breaks into a single command line already). Modules that log
 * import this instead of `@actions/core`, so every line goes through one door.
 */
export * from '@actions/core';

export function info(message: string): void {
  actionsCore.info(inertLog(message));
}
