/**
 * `npm run bench`: drives the built bundle against the fake Anthropic server
 * at zero latency and measures what the action adds on top of the model.
 * `--quick` is the short variant CI runs. Prints a table and writes
 * bench/results.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, readdir, writeFile, mkdir } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reply, text, toolUse, startFakeAnthropic, type FakeAnthropic } from '../__tests__/support/fakeAnthropic.js';
import { signedBy, startFakeBedrock } from '../__tests__/support/fakeBedrock.js';
import { createFixtureRepo } from '../__tests__/support/gitFixture.js';
import { runBundle } from '../__tests__/support/runBundle.js';
import { eventFixture, startScenario } from '../__tests__/support/scenario.js';
import { EXAMPLE_FILES } from '../src/demo/exampleRepo.js';
import { createToolbox } from '../src/tools/toolbox.js';

const quick = process.argv.includes('--quick');
const root = fileURLToPath(new URL('..', import.meta.url));
const REPORT = '## Summary\nDone.\n\n## Risks\nNone.';

interface Row {
  metric: string;
  value: string;
  target: string;
  ok: boolean | null;
}
const rows: Row[] = [];
const results: Record<string, unknown> = {};

function record(metric: string, value: number, unit: string, target: { below?: number; atLeast?: number; label?: string } = {}): void {
  const ok = target.below !== undefined ? value < target.below : target.atLeast !== undefined ? value >= target.atLeast : null;
  const targetText =
    target.label ?? (target.below !== undefined ? `< ${target.below} ${unit}` : target.atLeast !== undefined ? `≥ ${target.atLeast} ${unit}` : '—');
  rows.push({ metric, value: `${round(value)} ${unit}`, target: targetText, ok });
  results[metric] = { value: round(value), unit, target: targetText, ok };
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function session(opts: { inputs: Record<string, string>; prepare: (fake: FakeAnthropic) => void }) {
  const repo = await createFixtureRepo({ files: EXAMPLE_FILES });
  const fake = await startFakeAnthropic({ frameDelayMs: 0 });
  opts.prepare(fake);
  const spawnedAt = Date.now();
  const run = await runBundle({
    workspace: repo.dir,
    inputs: { anthropic_api_key: 'sk-ant-bench-0123456789', anthropic_base_url: fake.url, github_token: '', prompt: 'Benchmark task', ...opts.inputs },
  });
  const transcript = (await readFile(run.outputs.transcript_path!, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const requests = fake.requests.filter((request) => request.path === '/v1/messages');
  await fake.close();
  await repo.cleanup();
  return { run, transcript, requests, spawnedAt };
}

async function startup(): Promise<void> {
  const samples: number[] = [];
  for (let index = 0; index < (quick ? 5 : 15); index += 1) {
    const { requests, spawnedAt } = await session({ inputs: {}, prepare: (fake) => fake.script(reply([text(REPORT)])) });
    samples.push(requests[0]!.receivedAt - spawnedAt);
  }
  record('start-up: process start → first model request (median)', median(samples), 'ms', { below: 300 });
}

/**
 * provider bedrock: the same run, with the Bedrock client (its own chunk of the bundle, loaded
 * only now) signing each request. The difference from the first row is what the platform's
 * client costs a run that uses it; a run on the Claude API does not load it.
 */
async function bedrockStartup(): Promise<void> {
  const aws = { AWS_ACCESS_KEY_ID: 'ASIABENCHFAKEKEY0001', AWS_SECRET_ACCESS_KEY: 'bench/secret+access+key+0123456789abcd', AWS_REGION: 'us-east-1' };
  const samples: number[] = [];
  for (let index = 0; index < (quick ? 5 : 15); index += 1) {
    const repo = await createFixtureRepo({ files: EXAMPLE_FILES });
    const fake = await startFakeAnthropic({ frameDelayMs: 0 });
    const bedrock = await startFakeBedrock({ anthropic: fake, ...signedBy(aws) });
    fake.script(reply([text(REPORT)]));
    const spawnedAt = Date.now();
    const run = await runBundle({
      workspace: repo.dir,
      inputs: { provider: 'bedrock', github_token: '', prompt: 'Benchmark task' },
      env: { ...aws, ANTHROPIC_BEDROCK_BASE_URL: bedrock.url },
    });
    if (run.outputs.status !== 'completed' || !bedrock.requests[0]) throw new Error(`bench: the Bedrock run did not complete: ${run.stderr.slice(-2000)}`);
    samples.push(bedrock.requests[0].receivedAt - spawnedAt);
    await bedrock.close();
    await fake.close();
    await repo.cleanup();
  }
  record('start-up on Bedrock: process start → first model request (median)', median(samples), 'ms', { below: 300 });
}

/** A comment trigger: the permission check and the discussion come first; the 👀 reaction and the progress comment must not. */
async function commentStartup(): Promise<void> {
  const samples: number[] = [];
  for (let index = 0; index < (quick ? 3 : 9); index += 1) {
    const scenario = await startScenario();
    scenario.model.script(reply([text(REPORT)]));
    const startedAt = Date.now();
    await scenario.run({ eventName: 'issue_comment', event: eventFixture('issue_comment.created.issue') });
    samples.push(scenario.model.requests[0]!.receivedAt - startedAt);
    await scenario.close();
  }
  record('start-up on a comment trigger: process start → first model request (median)', median(samples), 'ms', { below: 300 });
}

async function perStep(): Promise<void> {
  const steps = quick ? 50 : 200;
  // Each step learns something new (a different output), so the stuck detector lets all of them run.
  let count = 0;
  const { transcript } = await session({
    inputs: { max_steps: String(steps) },
    prepare: (fake) => fake.setDefault(() => reply([toolUse('bash', { command: `echo ${(count += 1)}` })])),
  });
  const stepEvents = transcript.filter((event) => event.type === 'step');
  record(`own time per step, median over ${stepEvents.length} steps`, median(stepEvents.map((event) => event.ownMs)), 'ms', { below: 5 });
  const start = Date.parse(transcript.find((event) => event.type === 'start').at);
  const end = Date.parse(transcript.find((event) => event.type === 'end').at);
  const outside = stepEvents.reduce((sum, event) => sum + event.modelMs + event.toolMs, 0);
  record('own time per step, whole loop wall time − model − tools, mean', (end - start - outside) / stepEvents.length, 'ms', { below: 5 });
}

async function requestsAndCache(): Promise<void> {
  const steps = 30;
  const { requests, transcript } = await session({
    inputs: { max_steps: String(steps) },
    prepare: (fake) => {
      let index = 0;
      fake.setDefault(() => {
        index += 1;
        return index % 2
          ? reply([toolUse('search_code', { pattern: 'slug' })])
          : reply([toolUse('str_replace_based_edit_tool', { command: 'view', path: 'src/slugify.js' })]);
      });
    },
  });
  const first = requests[0]!.body;
  const prefix = JSON.stringify({ system: first.system, tools: first.tools });
  record('fixed prefix (system prompt + tool definitions), bytes', Buffer.byteLength(prefix), 'B');
  record('fixed prefix, estimated tokens (chars/4, + ~1,500 hidden for the editor and bash types)', Math.ceil(prefix.length / 4) + 1500, 'tokens', {
    below: 2500,
  });
  const sizes = requests.map((request) => request.bytes);
  record(`request size over ${steps} steps: first`, sizes[0]!, 'B');
  record(`request size over ${steps} steps: last`, sizes.at(-1)!, 'B');
  const usages = transcript.filter((event) => event.type === 'response').map((event) => event.usage);
  const fromThird = usages.slice(2);
  const read = fromThird.reduce((sum, usage) => sum + usage.cacheRead, 0);
  const all = fromThird.reduce((sum, usage) => sum + usage.cacheRead + usage.cacheWrite + usage.input, 0);
  record('input tokens served from cache, step 3 on', (100 * read) / all, '%', { atLeast: 90 });
  results.perRequest = requests.map((request, index) => ({ bytes: request.bytes, usage: usages[index] }));
}

async function longRun(): Promise<void> {
  const steps = quick ? 60 : 300;
  const { requests, transcript } = await session({
    inputs: { max_steps: String(steps), max_tokens: '100000000', max_cost_usd: '1000' },
    prepare: (fake) => fake.setDefault(() => reply([toolUse('bash', { command: 'head -c 60000 /dev/urandom | base64 -w 120' })])),
  });
  const end = transcript.find((event) => event.type === 'end');
  record(`peak RSS over a ${steps}-step run with 30 kB tool outputs`, end.maxRssMb, 'MB', { below: 150 });
  record(`largest request over the ${steps}-step run`, Math.max(...requests.map((request) => request.bytes)) / 1024, 'KiB');
}

async function repositoryScale(): Promise<void> {
  const files = quick ? 10_000 : 100_000;
  const dir = await mkdtemp(join(tmpdir(), 'nightshift-scale-'));
  for (let start = 0; start < files; start += 1000) {
    const folder = join(dir, `pkg${Math.floor(start / 1000)}`);
    await mkdir(folder, { recursive: true });
    await Promise.all(
      Array.from({ length: 1000 }, (_, offset) =>
        writeFile(join(folder, `file${start + offset}.ts`), `export const value${start + offset} = ${start + offset};\n`),
      ),
    );
  }
  execFileSync('git', ['init', '--quiet'], { cwd: dir });
  execFileSync('git', ['add', '--all'], { cwd: dir });
  const toolbox = createToolbox(
    { workspace: dir, env: process.env, commandTimeoutMs: 60_000, maxOutputBytes: 30_000, checks: [], signal: new AbortController().signal },
    { anthropicToolTypes: true },
  );
  const time = async (name: string, input: unknown) => {
    const started = performance.now();
    const outcome = await toolbox.run({ id: 'bench', name, input });
    return { ms: performance.now() - started, bytes: Buffer.byteLength(outcome.content) };
  };
  const listed = await time('list_files', {});
  const searched = await time('search_code', { pattern: 'value9999[0-9]' });
  record(`list_files on ${files.toLocaleString('en-US')} files (output ${listed.bytes} B)`, listed.ms, 'ms', { below: 1000 });
  record(`search_code on ${files.toLocaleString('en-US')} files (output ${searched.bytes} B)`, searched.ms, 'ms', { below: 1000 });
  await rm(dir, { recursive: true, force: true });
}

async function budgetPrecision(): Promise<void> {
  const tokens = await session({
    inputs: { max_tokens: '50000', max_output_tokens: '2000' },
    prepare: (fake) => fake.setDefault((request) => reply([toolUse('list_files', {})], { usage: { output_tokens: Math.min(1500, request.body.max_tokens) } })),
  });
  const billed = Number(tokens.run.outputs.input_tokens) + Number(tokens.run.outputs.output_tokens);
  record('token budget: billed − max_tokens (≤ 0 means never crossed)', billed - 50_000, 'tokens', { label: '≤ one answer (2,000)' });
  const cost = await session({
    inputs: { max_cost_usd: '0.05', max_output_tokens: '2000' },
    prepare: (fake) => fake.setDefault((request) => reply([toolUse('list_files', {})], { usage: { output_tokens: Math.min(1500, request.body.max_tokens) } })),
  });
  record('dollar budget: spent − max_cost_usd', Number(cost.run.outputs.cost_usd) - 0.05, '$', { label: '≤ one answer ($0.03)' });
  const steps = await session({ inputs: { max_steps: '7' }, prepare: (fake) => fake.setDefault(() => reply([toolUse('list_files', {})])) });
  record('step budget: requests made with max_steps 7', steps.requests.length, 'requests', { label: 'exactly 7' });
  const started = Date.now();
  const slow = await session({ inputs: { max_minutes: '0.1' }, prepare: (fake) => fake.setDefault({ hang: true }) });
  const overshoot = (slow.run.outputs.minutes ? Number(slow.run.outputs.minutes) * 60 : (Date.now() - started) / 1000) - 6;
  record('time budget: run length − max_minutes (6 s)', overshoot, 's', { below: 5 });
}

async function bundle(): Promise<void> {
  const files = await readdir(join(root, 'dist'));
  let bytes = 0;
  for (const file of files.filter((name) => !name.endsWith('.map'))) bytes += (await stat(join(root, 'dist', file))).size;
  record('bundle size (dist/ without source maps)', bytes / 1024 / 1024, 'MiB');
  const samples: number[] = [];
  for (let index = 0; index < 5; index += 1) {
    const started = performance.now();
    await new Promise((resolve) => spawn(process.execPath, [join(root, 'dist/index.js'), '--help']).on('close', resolve));
    samples.push(performance.now() - started);
  }
  record('bundle load and exit (node dist/index.js --help), median', median(samples), 'ms');
}

const sections: Array<[string, () => Promise<void>]> = [
  ['start-up', startup],
  ['start-up on a comment', commentStartup],
  ['start-up on Bedrock', bedrockStartup],
  ['per step', perStep],
  ['requests and cache', requestsAndCache],
  ['long run', longRun],
  ['repository scale', repositoryScale],
  ['budget precision', budgetPrecision],
  ['bundle', bundle],
];
for (const [name, section] of sections) {
  process.stderr.write(`bench: ${name}…\n`);
  await section();
}

const width = Math.max(...rows.map((row) => row.metric.length));
for (const row of rows) {
  const mark = row.ok === null ? ' ' : row.ok ? '✔' : '✘';
  process.stdout.write(`${mark} ${row.metric.padEnd(width)}  ${row.value.padStart(14)}  ${row.target}\n`);
}
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  quick,
  at: new Date().toISOString(),
};
await writeFile(join(root, 'bench', quick ? 'results-quick.json' : 'results.json'), `${JSON.stringify({ machine, results }, null, 2)}\n`);
const missed = rows.filter((row) => row.ok === false);
process.stdout.write(`\n${rows.length - missed.length} of ${rows.length} measured, ${missed.length} missed their target.\n`);
process.exitCode = missed.length > 0 && process.argv.includes('--strict') ? 1 : 0;
