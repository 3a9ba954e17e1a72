import { agentEnv } from '../../src/box/agentEnv.js';
import { createToolbox } from '../../src/tools/toolbox.js';
import { eventually, isRunning, makeSandbox, type Sandbox } from './fixture.js';

let box: Sandbox;

beforeAll(async () => {
  box = await makeSandbox({
    commandTimeoutMs: 1_000,
    env: agentEnv({
      source: { ...process.env, GITHUB_TOKEN: 'ghs_shouldnotleak', INPUT_X: 'input-secret', ANTHROPIC_API_KEY: 'sk-ant-nope' },
      extraNames: [],
      secretNames: [],
      secretValues: [],
    }),
  });
});

afterAll(() => box.cleanup());

const bash = (command: string) => box.call('bash', { command });

describe('the bash tool', () => {
  it('runs in the workspace root and returns the output', async () => {
    expect(await bash('pwd; echo hello')).toEqual({ content: `${box.root}\nhello`, isError: false });
  });

  it('interleaves stderr with stdout', async () => {
    expect(await bash('echo out; sleep 0.05; echo err >&2; sleep 0.05; echo out again')).toEqual({ content: 'out\nerr\nout again', isError: false });
  });

  it('reports a non-zero exit as an error, with the code on the last line', async () => {
    expect(await bash('echo oops >&2; exit 3')).toEqual({ content: 'oops\n[exit code 3]', isError: true });
    expect(await bash('false')).toEqual({ content: '(no output)\n[exit code 1]', isError: true });
    expect(await bash('kill -9 $$')).toEqual({ content: '(no output)\n[killed by SIGKILL]', isError: true });
  });

  it('closes stdin, so programs waiting for input end at once', async () => {
    const started = Date.now();
    expect(await bash('cat; read line; echo "read exited $?"')).toEqual({ content: 'read exited 1', isError: false });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('hides credentials and action inputs from commands', async () => {
    expect(await bash('env | grep -E "GITHUB_TOKEN|INPUT_|ANTHROPIC|nope|secret" || echo clean; echo "prompt=$GIT_TERMINAL_PROMPT"')).toEqual({
      content: 'clean\nprompt=0',
      isError: false,
    });
  });

  it('kills the whole process tree at the time limit', async () => {
    const started = Date.now();
    const result = await bash('sleep 100 & echo $!; sleep 100; wait');
    expect(Date.now() - started).toBeLessThan(4_000);
    const [, pid] = /^(\d+)\n\[timed out after 1s; process group killed\]$/.exec(result.content) ?? [];
    expect(result.isError).toBe(true);
    expect(pid).toBeDefined();
    expect(await eventually(() => !isRunning(Number(pid)))).toBe(true);
  });

  it('stops a command when the run aborts', async () => {
    const controller = new AbortController();
    const toolbox = createToolbox({ ...box.ctx, commandTimeoutMs: 60_000, signal: controller.signal }, { anthropicToolTypes: true });
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    expect(await toolbox.run({ id: 't', name: 'bash', input: { command: 'echo working; sleep 100' } })).toEqual({
      content: 'working\n[stopped: the run is ending (time budget or cancellation); process group killed]',
      isError: true,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('caps a flood of output, keeping its start and end', async () => {
    const toolbox = createToolbox({ ...box.ctx, commandTimeoutMs: 30_000 }, { anthropicToolTypes: true });
    const result = await toolbox.run({ id: 't', name: 'bash', input: { command: 'yes | head -c 50000000' } });
    const half = 'y\n'.repeat(2_500);
    expect(result).toEqual({ content: `${half}\n[… 49990000 bytes cut from the middle of the output …]\n${half.trimEnd()}`, isError: false });
  });

  it('treats restart as a no-op, since every command gets a fresh shell', async () => {
    await bash('cd src 2>/dev/null; export FOO=1');
    expect(await box.call('bash', { restart: true })).toEqual({ content: 'shell restarted (every command runs in a fresh shell anyway)', isError: false });
    expect(await bash('pwd; echo "FOO=${FOO:-unset}"')).toEqual({ content: `${box.root}\nFOO=unset`, isError: false });
  });

  it('asks for a command when none is given', async () => {
    expect(await box.call('bash', {})).toEqual({ content: 'bash needs a non-empty command', isError: true });
    expect(await bash('   ')).toEqual({ content: 'bash needs a non-empty command', isError: true });
  });
});
