#!/usr/bin/env node
import { runLocal } from './cli/local.js';
import { runDemo } from './demo/runDemo.js';
import { run } from './main.js';
import { readHandedSecrets } from './secrets/secretHandoff.js';
import { runKeeper } from './box/keeper.js';

/**
 * One bundle, three doors: the action (no arguments), the local entry
 * (`--task`), and the offline demo (`--demo`). All run the same pipeline.
 * A fourth, `--box-keeper`, is the box's own plumbing, not a way in.
 */
const args = process.argv.slice(2);

if (args[0] === '--box-keeper') {
  // Started as root inside the box's namespaces; runs the agent's commands until its stdin closes.
  await runKeeper();
} else {
  const cancel = cancelOnSignals();
  if (args[0] === '--demo') process.exitCode = await runDemo({ cancel });
  else if (args.length > 0) process.exitCode = await runLocal({ args, cancel });
  else await run({ env: readHandedSecrets(process.env), cancel });
}

/**
 * The runner cancels with SIGINT, then SIGTERM, then a kill: the first signal
 * asks the run to stop at its next safe point and still save and report its
 * work; a third one (an impatient person at a terminal) exits at once.
 */
function cancelOnSignals(): AbortSignal {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    received += 1;
    if (received >= 3) process.exit(130);
    if (!controller.signal.aborted) {
      process.stderr.write(`Nightshift: ${name} received; stopping at the next safe point and saving the work.\n`);
      controller.abort(new Error(`cancelled by ${name}`));
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}
