/**
 * The agent's box, for real: the bundle as the composite step runs it, as
 * root (like CI and a container job; GitHub-hosted runners reach root through
 * sudo), with a scripted model doing what injected text would ask. Each test
 * asserts what a maintainer would see: the tool results the model got, the
 * summary, the outputs, the branch — and what is left on the machine.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { REPORT, startScenario, type Scenario } from '../support/scenario.js';

const exec = promisify(execFile);
const bash = (command: string) => reply([toolUse('bash', { command })]);
const DONE = reply([text(REPORT)]);
const KEY = 'sk-ant-test-key-0123456789';

/** What every tool call of the run answered, in order. */
function toolResults(scenario: Scenario): string[] {
  return scenario.model.requests
    .slice(1)
    .flatMap((request) =>
      (request.body.messages.at(-1).content as Array<{ type: string; content?: unknown }>).filter((block) => block.type === 'tool_result').map(toolOutput),
    );
}

async function processesMatching(pattern: string): Promise<string[]> {
  const { stdout } = await exec('ps', ['-eo', 'pid,user,args']);
  return stdout.split('\n').filter((line) => line.includes(pattern) && !line.includes('ps -eo'));
}

describe('the box (end to end, as root)', () => {
  if (process.getuid?.() !== 0) throw new Error('the box tests need root, as CI has: run them as root (or in a container)');

  let scenario: Scenario;
  let outside: string;
  beforeEach(async () => {
    scenario = await startScenario();
    outside = await mkdtemp(join(tmpdir(), 'nightshift-outside-'));
    await writeFile(join(outside, 'sentinel.txt'), 'untouched');
  });
  afterEach(async () => {
    await scenario.close();
    await rm(outside, { recursive: true, force: true });
  });

  it('runs the agent as a user of its own, in its own PID namespace, with an allowlisted environment', async () => {
    const owner = await stat(scenario.repo.dir);
    scenario.model.script(
      bash('id -un; id -u; echo "pid $$"; ls /proc | grep -c "^[0-9]"; env | sort'),
      bash('echo planted > planted.txt && ls -ln planted.txt | cut -d" " -f3'),
      DONE,
    );
    const run = await scenario.run({
      inputs: { prompt: 'Look around', verify: 'id -un' },
      env: { NPM_TOKEN: 'npm_joblevelsecret0123456789abcdefghijkl', DEPLOY_PASSWORD: 'hunter2-hunter2' },
    });
    const [who, planted] = toolResults(scenario);

    const [user, uid] = who!.split('\n');
    expect(user).toMatch(/^nightshift-[0-9a-f]{8}$/);
    expect(Number(uid)).toBeGreaterThan(0);
    // Only the keeper and the command's own processes exist in the box.
    expect(Number(who!.split('\n')[3])).toBeLessThan(6);
    expect(who).not.toMatch(/npm_joblevel|hunter2|INPUT_|GITHUB_TOKEN|ACTIONS_|RUNNER_TEMP|GITHUB_OUTPUT|GITHUB_ENV|GITHUB_STEP_SUMMARY|sk-ant/);
    expect(who).toMatch(/^HOME=.*nightshift-box-.*\/home$/m);
    expect(planted!.trim()).toBe(uid);
    // The checks ran in the box too.
    expect(run.summary).toContain('✅ passed');
    expect(run.summary).toMatch(/### Where the agent ran\n\n- In a box: user `nightshift-[0-9a-f]{8}`/);
    // The workspace is the runner's again, the files the agent made included, and its user is gone.
    expect((await stat(scenario.repo.dir)).uid).toBe(owner.uid);
    expect((await stat(join(scenario.repo.dir, 'planted.txt'))).uid).toBe(owner.uid);
    await expect(exec('id', [user!])).rejects.toThrow();
    expect(await scenario.repo.readBranchFile(run.outputs.branch!, 'planted.txt')).toBe('planted\n');
  });

  it("keeps the action's process, the runner's files and everything outside the workspace out of reach", async () => {
    scenario.model.script(
      // The action's environment, the runner's command files (GITHUB_OUTPUT and friends live in RUNNER_TEMP), a file outside.
      bash(
        'cat /proc/1/environ; echo "environ: $?"; for f in /tmp/nightshift-run-*/github_output /tmp/nightshift-run-*/step_summary.md; do echo "pr_url=https://evil.example/PWNED" >> "$f"; done; echo "runner files: $?"',
      ),
      bash(`echo PWNED > ${outside}/sentinel.txt; echo "outside: $?"; echo x > /etc/nightshift-pwned; echo "etc: $?"`),
      DONE,
    );
    const run = await scenario.run({ inputs: { prompt: 'Look around' } });
    const [first, second] = toolResults(scenario);
    // stdout and stderr arrive in either order.
    expect(first).toMatch(/^cat: \/proc\/1\/environ: Permission denied$/m);
    expect(first).toMatch(/^environ: 1$/m);
    expect(first).not.toContain(KEY);
    expect(first).toMatch(/runner files: 1/);
    expect(second).toMatch(/^outside: 1$/m);
    expect(second).toMatch(/^etc: 1$/m);
    expect(run.outputs.pr_url ?? '').not.toContain('evil.example');
    expect(run.summary).not.toMatch(/^pr_url=/m);
    expect(await readFile(join(outside, 'sentinel.txt'), 'utf8')).toBe('untouched');
    await expect(stat('/etc/nightshift-pwned')).rejects.toThrow();
  });

  it('kills what the agent leaves running, setsid daemons included, and says so', async () => {
    scenario.model.script(
      // Wait until both have left the command's process group (and its group kill) and sleep on their own.
      bash(
        'setsid sleep 31337 < /dev/null > /dev/null 2>&1 & nohup setsid sh -c "sleep 31338" > /dev/null 2>&1 & for i in $(seq 100); do [ "$(ps -eo args | grep -c "^sleep 3133[78]")" -ge 2 ] && break; sleep 0.05; done; echo started',
      ),
      bash('ps -eo args | grep -c "sleep 3133[78]"'),
      DONE,
    );
    const run = await scenario.run({ inputs: { prompt: 'Start a daemon' } });
    // Gone after the command that started them, not only at the end of the run.
    expect(toolResults(scenario)[1]).toBe('0\n[exit code 1]');
    expect(await processesMatching('sleep 3133')).toEqual([]);
    expect(run.summary).toMatch(/Processes the agent left running, killed: [1-9]\d*; after the box was emptied, none was left\./);
  });

  it("leaves no process of the agent's when the action itself is killed (SIGKILL, the runner's last resort)", async () => {
    scenario.model.script(bash('setsid sleep 31341 < /dev/null > /dev/null 2>&1 & sleep 31340'), DONE);
    let pid = 0;
    const running = scenario.run({ inputs: { prompt: 'Sleep' }, onSpawn: (child) => (pid = child) });
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    await until(async () => (await processesMatching('sleep 3134')).length >= 2);
    expect((await processesMatching('sleep 3134')).length).toBeGreaterThanOrEqual(2);
    process.kill(pid, 'SIGKILL');
    await running;
    // The keeper sees its input end, empties the box and exits; its PID namespace ends with it.
    await until(async () => (await processesMatching('sleep 3134')).length === 0);
    expect(await processesMatching('sleep 3134')).toEqual([]);
    // What a killed run cannot undo (SECURITY.md says so): the workspace still belongs to its user, who still exists.
    const boxUid = (await stat(scenario.repo.dir)).uid;
    const [name, , , , , home] = (await exec('getent', ['passwd', String(boxUid)])).stdout.trim().split(':');
    expect(name).toMatch(/^nightshift-[0-9a-f]{8}$/);
    await exec('userdel', [name!]);
    await rm(dirname(home!), { recursive: true, force: true });
  });

  it('removes the files its user left in the shared temporary directories, and says how many', async () => {
    const mark = `nightshift-left-${process.pid}-${Date.now()}`;
    const planted = [`/tmp/${mark}`, `/var/tmp/${mark}`, `/dev/shm/${mark}`];
    scenario.model.script(
      bash(`echo x > /tmp/${mark} && mkdir /var/tmp/${mark} && echo y > /var/tmp/${mark}/inside && echo z > /dev/shm/${mark} && echo planted`),
      DONE,
    );
    const run = await scenario.run({ inputs: { prompt: 'Leave files behind' } });
    expect(toolResults(scenario)[0]).toBe('planted');
    for (const path of planted) await expect(stat(path)).rejects.toThrow();
    expect(run.summary).toContain("- Files the agent's user left outside the workspace (`/tmp`, `/var/tmp`, `/dev/shm`), removed: 3.");
    // The workspace itself, under /tmp here, is the runner's again and untouched.
    expect(await readFile(join(scenario.repo.dir, 'README.md'), 'utf8')).toBe(await scenario.repo.readBranchFile('main', 'README.md'));
  });

  describe('network', () => {
    /** An HTTP client that follows the proxy variables unless told: `env`, `proxy` (HTTP_PROXY for every URL) or `direct`. curl waits for approval. */
    const FETCH_PY = [
      'import os, sys, urllib.request as u',
      'url, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "env")',
      'proxy = os.environ.get("HTTP_PROXY", "")',
      // urllib honours no_proxy even with an explicit ProxyHandler; `proxy` means every URL goes through it.
      '_ = mode == "proxy" and [os.environ.pop(name, None) for name in ("no_proxy", "NO_PROXY")]',
      'handlers = {"env": [], "proxy": [u.ProxyHandler({"http": proxy, "https": proxy})], "direct": [u.ProxyHandler({})]}[mode]',
      'try:',
      '    print(u.build_opener(*handlers).open(url, timeout=5).read().decode())',
      'except Exception as error:',
      '    print("failed:", error)',
    ].join('\n');
    const withFetch = (...commands: string[]) => [
      reply([toolUse('str_replace_based_edit_tool', { command: 'create', path: 'fetch.py', file_text: `${FETCH_PY}\n` })]),
      ...commands.map((command) => bash(command)),
    ];
    let server: Server;
    let port: number;
    beforeEach(async () => {
      server = createServer((req, res) => res.end(`hello from ${req.headers.host}`));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('allowlist: only listed hosts on web ports, through the proxy; nothing directly; every host in the summary', async () => {
      // An allowed host on a web port: root may listen on 443 of the runner's loopback.
      const web = createServer((req, res) => res.end(`allowed: ${req.headers.host}`));
      await new Promise<void>((resolve) => web.listen(443, '127.0.0.1', resolve));
      try {
        scenario.model.script(
          ...withFetch(
            `python3 fetch.py http://127.0.0.1:${port}/ direct; python3 fetch.py http://127.0.0.1:${port}/ proxy; python3 fetch.py https://example.invalid/; python3 fetch.py https://registry.npmjs.org/ direct; python3 fetch.py http://127.0.0.1:443/ proxy`,
          ),
          DONE,
        );
        const run = await scenario.run({ inputs: { prompt: 'Fetch things', allowed_hosts: '127.0.0.1' } });
        const [direct, offPort, refused, bypass, allowed] = toolResults(scenario)[1]!.split('\n');
        // No route out of the box: the runner's loopback is not the box's.
        expect(direct).toMatch(/^failed: .*Connection refused/);
        // An allowed host, but not on a web port.
        expect(offPort).toMatch(/^failed: HTTP Error 403/);
        expect(refused).toMatch(/^failed: .*403/);
        // Around the proxy there is no name service and no route.
        expect(bypass).toMatch(/^failed: /);
        expect(allowed).toBe('allowed: 127.0.0.1:443');
        expect(run.summary).toContain('- Network: allowlist (through the egress proxy).');
        expect(run.summary).toMatch(/\| `example\.invalid` \| 443 \| 1 \| ⛔ refused \|/);
        expect(run.summary).toMatch(new RegExp(`\\| \`127\\.0\\.0\\.1\` \\| ${port} \\| 1 \\| ⛔ refused \\|`));
        expect(run.summary).toMatch(/\| `127\.0\.0\.1` \| 443 \| 1 \| allowed \|/);
        expect(run.summary).toContain('A refused host the work needs can be added to `allowed_hosts`.');
      } finally {
        await new Promise<void>((resolve) => web.close(() => resolve()));
      }
    });

    it('none: loopback only, no proxy', async () => {
      scenario.model.script(...withFetch(`env | grep -ci proxy; python3 fetch.py http://127.0.0.1:${port}/`), DONE);
      const run = await scenario.run({ inputs: { prompt: 'Fetch things', network: 'none' } });
      expect(toolResults(scenario)[1]).toMatch(/^0\nfailed: .*Connection refused/);
      expect(run.summary).toContain('- Network: none (loopback only).');
    });

    it("open: the runner's network", async () => {
      scenario.model.script(...withFetch(`python3 fetch.py http://127.0.0.1:${port}/`), DONE);
      await scenario.run({ inputs: { prompt: 'Fetch things', network: 'open' } });
      expect(toolResults(scenario)[1]).toBe(`hello from 127.0.0.1:${port}`);
    });
  });

  it("isolation none: the runner's user, the allowlisted environment, and a summary that says the network is not enforced", async () => {
    scenario.model.script(bash('id -u; env | grep -c NPM_TOKEN'), DONE);
    const run = await scenario.run({ inputs: { prompt: 'Look around', isolation: 'none' }, env: { NPM_TOKEN: 'npm_joblevelsecret0123456789abcdefghijkl' } });
    expect(toolResults(scenario)[0]).toBe('0\n0\n[exit code 1]');
    expect(run.summary).toContain("- As the runner's user (no box), with the allowlisted environment.");
    expect(run.summary).toContain('- Network: allowlist (through the egress proxy) — **not enforced** without the box.');
  });

  it('agent_env passes a listed variable on purpose', async () => {
    scenario.model.script(bash('echo "$NPM_TOKEN"'), DONE);
    await scenario.run({ inputs: { prompt: 'Publish', agent_env: 'NPM_TOKEN' }, env: { NPM_TOKEN: 'npm_listedonpurpose' } });
    expect(toolResults(scenario)[0]).toBe('npm_listedonpurpose');
  });
});
