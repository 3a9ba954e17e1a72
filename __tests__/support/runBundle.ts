import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

const ACTION_PATH = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The main step's `run:` script from action.yml, which every test runs as the runner does: under
 * `bash --noprofile --norc -eo pipefail` (the runner's `shell: bash`), with the step's INPUT_*
 * variables, so the key and the token reach the program over fd 3 as they do on GitHub and the
 * script ends in `exec node … dist/index.js` (the pid a test signals is the program's).
 */
const MAIN_STEP_SCRIPT = mainStepScript(readFileSync(join(ACTION_PATH, 'action.yml'), 'utf8'));

function mainStepScript(actionYml: string): string {
  const steps = (parse(actionYml) as { runs: { steps: Array<{ id?: string; run?: string }> } }).runs.steps;
  const script = steps.find((step) => step.id === 'run')?.run;
  if (!script?.includes('"$GITHUB_ACTION_PATH/dist/index.js"'))
    throw new Error('action.yml: the step with id run does not start "$GITHUB_ACTION_PATH/dist/index.js"');
  return script;
}

export interface BundleRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** The job summary markdown the step wrote. */
  summary: string;
}

export interface BundleOptions {
  /** Action inputs by name (`max_steps`), set as INPUT_MAX_STEPS like the composite step does. */
  inputs: Record<string, string>;
  workspace: string;
  eventName?: string;
  event?: unknown;
  /** Raw bytes for the event file instead of `event` as JSON (malformed payloads). */
  rawEvent?: Buffer;
  env?: Record<string, string>;
  /** Called once the process is up, e.g. to send it a signal mid-run. */
  onSpawn?: (pid: number) => void;
}

/**
 * Runs the built bundle as the composite step does: a child process with
 * INPUT_* variables, the GITHUB_* event files and RUNNER_TEMP, and nothing
 * of the test's own environment that the runner would not set.
 */
export async function runBundle(opts: BundleOptions): Promise<BundleRun> {
  const temp = await mkdtemp(join(tmpdir(), 'nightshift-run-'));
  const files = {
    event: join(temp, 'event.json'),
    output: join(temp, 'github_output'),
    summary: join(temp, 'step_summary.md'),
  };
  await writeFile(files.event, opts.rawEvent ?? JSON.stringify(opts.event ?? {}));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.eventName ?? 'workflow_dispatch',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    GITHUB_REPOSITORY: 'octo/demo',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: temp,
    ...Object.fromEntries(Object.entries(opts.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...opts.env,
  };
  // The runner's `node` is the one on PATH; here, the one running the tests.
  const stepEnv = { ...env, GITHUB_ACTION_PATH: ACTION_PATH, PATH: `${dirname(process.execPath)}:${env.PATH}` };
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', MAIN_STEP_SCRIPT], {
    cwd: opts.workspace,
    env: stepEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  opts.onSpawn?.(child.pid!);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, sig) => resolve([code, sig])));
  return {
    exitCode,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  };
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` records. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}
