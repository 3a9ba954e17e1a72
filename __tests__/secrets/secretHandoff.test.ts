import { spawn } from 'node:child_process';
import { fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readHandedSecrets } from '../../src/secrets/secretHandoff.js';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { parseOutputFile } from '../support/runBundle.js';
import { OWNER, REPO, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';
import { compositeStepEnv, type Contexts } from '../support/workflow.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'sk-ant-test-handoff-0123456789abcdef';
const TOKEN = 'ghs_handofftoken0123456789abcdefghijklmn';
const RUNTIME = 'runtime-handoff-0123456789';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'nightshift-handoff-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A real descriptor holding `bytes`, as the step's pipe would (a file here: the reader only reads to EOF). */
let files = 0;
function handedFd(bytes: string | Buffer): number {
  const path = join(scratch, `payload-${(files += 1)}`);
  writeFileSync(path, bytes);
  return openSync(path, 'r');
}

/** Whether `fd` still refers to the file it did: closed, or reused for something else, means no. */
function stillOpen(fd: number, ino: number): boolean {
  try {
    return fstatSync(fd).ino === ino;
  } catch {
    return false;
  }
}

describe('readHandedSecrets', () => {
  it('returns the environment as it is without the marker (tests, the local entry)', () => {
    const env = { INPUT_ANTHROPIC_API_KEY: KEY, INPUT_GITHUB_TOKEN: TOKEN, PATH: '/bin' };
    expect(readHandedSecrets(env)).toBe(env);
  });

  it("restores the inputs and the runner's tokens from the descriptor into a new environment without the marker, and closes the descriptor", () => {
    // Values keep whatever they hold: newlines, spaces, `=`, non-ASCII, an empty token.
    const key = `${KEY}\nsecond line = x é`;
    const fd = handedFd(`${key}\0\0${RUNTIME}\0\0\0x-gateway-key: g1\0aws-secret\0aws-session\0\0`);
    const ino = fstatSync(fd).ino;
    const env = { NIGHTSHIFT_SECRETS_FD: String(fd), INPUT_MODE: 'run', PATH: '/bin' };

    const handed = readHandedSecrets(env);

    // An empty input stays an input; a runner token the runner did not set is no variable.
    expect(handed).toEqual({
      INPUT_MODE: 'run',
      PATH: '/bin',
      INPUT_ANTHROPIC_API_KEY: key,
      INPUT_GITHUB_TOKEN: '',
      ACTIONS_RUNTIME_TOKEN: RUNTIME,
      INPUT_ANTHROPIC_HEADERS: 'x-gateway-key: g1',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      AWS_SESSION_TOKEN: 'aws-session',
    });
    expect(env).toEqual({ NIGHTSHIFT_SECRETS_FD: String(fd), INPUT_MODE: 'run', PATH: '/bin' });
    expect(stillOpen(fd, ino)).toBe(false);
  });

  it('takes the descriptor over anything the environment still says', () => {
    const fd = handedFd(`${KEY}\0${TOKEN}\0\0\0\0\0\0\0\0`);
    expect(readHandedSecrets({ NIGHTSHIFT_SECRETS_FD: String(fd), INPUT_ANTHROPIC_API_KEY: 'stale', INPUT_GITHUB_TOKEN: 'stale' })).toEqual({
      INPUT_ANTHROPIC_API_KEY: KEY,
      INPUT_GITHUB_TOKEN: TOKEN,
    });
  });

  it.each([
    ['a word', 'three'],
    ['empty', ''],
    ['stdin', '0'],
    ['stderr', '2'],
    ['negative', '-4'],
  ])('refuses a marker that is not a descriptor above stdio (%s)', (_name, marker) => {
    expect(() => readHandedSecrets({ NIGHTSHIFT_SECRETS_FD: marker })).toThrow(
      `NIGHTSHIFT_SECRETS_FD must be the number of an inherited file descriptor (3 or more), got ${JSON.stringify(marker)}`,
    );
  });

  it('says which variable names a descriptor that is not open, and what it should hold', () => {
    expect(() => readHandedSecrets({ NIGHTSHIFT_SECRETS_FD: '1000000' })).toThrow(
      /^NIGHTSHIFT_SECRETS_FD=1000000: could not read file descriptor 1000000, which should hold the values of INPUT_ANTHROPIC_API_KEY, INPUT_GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, INPUT_APP_PRIVATE_KEY, INPUT_ANTHROPIC_HEADERS, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_BEARER_TOKEN_BEDROCK, each ended by a NUL byte, as action\.yml's main step writes them \(EBADF\)$/,
    );
  });

  it.each([
    ['nothing at all', '', 0],
    ['one value', `${KEY}\0`, 1],
    ['an unended last value', `${KEY}\0${TOKEN}`, 1],
    ['two values', `${KEY}\0${TOKEN}\0`, 2],
    ['a value too many', `${KEY}\0${TOKEN}\0\0\0\0\0\0\0\0extra\0`, 10],
    ['a newline instead of NULs', `${KEY}\n${TOKEN}\n`, 0],
  ])('refuses malformed content (%s) without echoing it, and still closes the descriptor', (_name, content, ended) => {
    const fd = handedFd(content);
    const ino = fstatSync(fd).ino;
    let message = '';
    try {
      readHandedSecrets({ NIGHTSHIFT_SECRETS_FD: String(fd) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      `NIGHTSHIFT_SECRETS_FD=${fd}: expected the values of INPUT_ANTHROPIC_API_KEY, INPUT_GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, INPUT_APP_PRIVATE_KEY, INPUT_ANTHROPIC_HEADERS, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_BEARER_TOKEN_BEDROCK, each ended by a NUL byte, as action.yml's main step writes them, got ${ended} NUL-ended value(s) in ${Buffer.byteLength(content)} bytes`,
    );
    expect(message).not.toContain(KEY);
    expect(message).not.toContain(TOKEN);
    expect(stillOpen(fd, ino)).toBe(false);
  });

  it('refuses bytes that are not UTF-8 rather than changing a key', () => {
    const fd = handedFd(Buffer.from([0x73, 0x6b, 0xff, 0x00, 0x74, 0x00]));
    const ino = fstatSync(fd).ino;
    expect(() => readHandedSecrets({ NIGHTSHIFT_SECRETS_FD: String(fd) })).toThrow(
      `NIGHTSHIFT_SECRETS_FD=${fd}: expected the values of INPUT_ANTHROPIC_API_KEY, INPUT_GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, INPUT_APP_PRIVATE_KEY, INPUT_ANTHROPIC_HEADERS, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_BEARER_TOKEN_BEDROCK, each ended by a NUL byte, as action.yml's main step writes them, got 6 bytes that are not UTF-8`,
    );
    expect(stillOpen(fd, ino)).toBe(false);
  });
});

interface ActionYaml {
  runs: { steps: Array<{ id?: string; run?: string }> };
}

// /proc/<pid>/environ is what a same-user process reads; only Linux has it.
const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux("action.yml's main step, run by bash as the runner runs it (end to end)", () => {
  const script = (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml).runs.steps.find((step) => step.id === 'run')!.run!;
  let actionPath: string;
  let scenario: Scenario;

  // The action as the runner checks it out: action.yml's script beside the bundle (built from src by the global setup).
  beforeAll(async () => {
    actionPath = await mkdtemp(join(tmpdir(), 'nightshift-action-'));
    await cp(join(ROOT, 'dist'), join(actionPath, 'dist'), { recursive: true });
  });
  afterAll(async () => {
    await rm(actionPath, { recursive: true, force: true });
  });
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('leaves no secret in the environment node was started with, and the program still gets the key and the token', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'nightshift-step-'));
    const files = { event: join(temp, 'event.json'), output: join(temp, 'github_output'), summary: join(temp, 'step_summary.md') };
    await writeFile(files.event, '{}');
    await writeFile(files.output, '');
    await writeFile(files.summary, '');
    const contexts: Contexts = {
      github: { event_name: 'workflow_dispatch', event: {}, token: TOKEN, run_id: '4242', repository: `${OWNER}/${REPO}` },
      strategy: { 'job-index': 0, 'job-total': 1 },
    };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? temp,
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION_PATH: actionPath,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_WORKSPACE: scenario.repo.dir,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_OUTPUT: files.output,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: scenario.github.url,
      RUNNER_TEMP: temp,
      // What the runner may add to a step's environment; the program needs none of it.
      ACTIONS_RUNTIME_TOKEN: 'runtime-token-secret-0123456789',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-token-secret-0123456789',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/request?secret=0123456789',
      // What aws-actions/configure-aws-credentials exports for provider bedrock (here unused, yet still handed over and masked).
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-access-key-0123456789',
      AWS_SESSION_TOKEN: 'aws-session-token-0123456789',
      // The step's own env:, evaluated from action.yml for these `with:` values.
      ...compositeStepEnv({ anthropic_api_key: KEY, anthropic_base_url: scenario.model.url, prompt: 'Fix slugify' }, contexts),
    };
    expect(env).toMatchObject({ INPUT_ANTHROPIC_API_KEY: KEY, INPUT_GITHUB_TOKEN: TOKEN });

    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: scenario.repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Read while the program waits for its first model reply: bash has exec'd into node by then.
    let seen: { cmdline: string[]; environ: string[] } | undefined;
    const firstReply = () => {
      seen = {
        cmdline: readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0'),
        environ: readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0'),
      };
      return reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]);
    };
    scenario.model.script(firstReply, reply([text(REPORT)]));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const outputs = parseOutputFile(await readFile(files.output, 'utf8'));
    await rm(temp, { recursive: true, force: true });

    expect({ exitCode, status: outputs.status, stderr }).toEqual({ exitCode: 0, status: 'completed', stderr });
    // The program masks what it was handed, as it did when the values came through its environment.
    expect(stdout).toContain(`::add-mask::${KEY}\n::add-mask::${TOKEN}\n`);
    // And the runner's tokens, handed over too though never used, so that nothing published can carry them.
    expect(stdout).toContain(`::add-mask::${env.ACTIONS_RUNTIME_TOKEN}\n`);
    expect(stdout).toContain(`::add-mask::${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}\n`);
    expect(stdout).toContain(`::add-mask::${env.AWS_SECRET_ACCESS_KEY}\n`);
    expect(stdout).toContain(`::add-mask::${env.AWS_SESSION_TOKEN}\n`);
    // The same process, now node, running the bundle with the step's flags.
    expect(seen!.cmdline).toEqual([expect.stringMatching(/node$/), '--max-old-space-size=192', join(actionPath, 'dist/index.js'), '']);
    const environ = seen!.environ.join('\n');
    for (const secret of [
      KEY,
      TOKEN,
      env.ACTIONS_RUNTIME_TOKEN!,
      env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!,
      env.ACTIONS_ID_TOKEN_REQUEST_URL!,
      env.AWS_SECRET_ACCESS_KEY!,
      env.AWS_SESSION_TOKEN!,
    ])
      expect(environ).not.toContain(secret);
    expect(seen!.environ.filter((entry) => /^(INPUT_ANTHROPIC_API_KEY|INPUT_GITHUB_TOKEN|ACTIONS_)/.test(entry))).toEqual([]);
    expect(seen!.environ).toEqual(expect.arrayContaining(['NIGHTSHIFT_SECRETS_FD=3', 'INPUT_PROMPT=Fix slugify']));
    // Yet the key reached the model API and the token the GitHub API (the pull request).
    // (The SDK sends the key as x-api-key or, in newer versions, as a bearer token.)
    const keys = scenario.model.requests.map((request) => request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer /, ''));
    expect(keys).toEqual([KEY, KEY]);
    expect(scenario.github.pulls).toHaveLength(1);
    const auth = scenario.github.requests.map((request) => request.headers.authorization);
    expect(auth.length).toBeGreaterThan(0);
    for (const header of auth) expect(header).toMatch(new RegExp(`^(token|bearer) ${TOKEN}$`, 'i'));
  }, 60_000);
});
