import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE } from '../support/runBundle.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { allowedHosts, hostAllowed } from '../../src/egress/allowedHosts.js';
import { startEgressProxy, type EgressProxy } from '../../src/egress/egressProxy.js';

const run = promisify(execFile);

/** curl through the proxy, as a command in the box would reach the network. */
async function curl(proxy: EgressProxy, url: string, tunnel: boolean): Promise<{ code: number; body: string }> {
  const args = ['--silent', '--show-error', '--max-time', '10', '--proxy', `http://${proxy.address}`, ...(tunnel ? ['--proxytunnel'] : []), url];
  try {
    const { stdout } = await run('curl', args, { env: { PATH: process.env.PATH } });
    return { code: 0, body: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, body: `${failed.stdout}${failed.stderr}` };
  }
}

describe('hostAllowed', () => {
  const list = ['registry.npmjs.org', '*.example.com'];
  it.each([
    ['registry.npmjs.org', true],
    ['Registry.NPMJS.org.', true],
    ['evil-registry.npmjs.org', false],
    ['registry.npmjs.org.evil.com', false],
    ['a.example.com', true],
    ['a.b.example.com', true],
    ['example.com', false],
    ['badexample.com', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(hostAllowed(host, list)).toBe(expected);
  });

  it("adds the repository's GitHub host and the workflow's hosts to the registries, never the model's API", () => {
    expect(allowedHosts({ serverUrl: 'https://github.com', extra: ['Pkgs.Internal.Example'] })).toEqual(
      expect.arrayContaining(['registry.npmjs.org', 'pypi.org', 'github.com', 'pkgs.internal.example']),
    );
    expect(allowedHosts({ serverUrl: 'https://ghes.corp.example', extra: [] })).toContain('ghes.corp.example');
    expect(allowedHosts({ serverUrl: 'https://github.com', extra: [] })).not.toContain('api.anthropic.com');
  });
});

describe('the egress proxy (real curl, real sockets)', () => {
  let target: Server;
  let targetPort: number;
  let proxy: EgressProxy;
  beforeEach(async () => {
    target = createServer((req, res) => res.end(`hello from ${req.headers.host}${req.url}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as AddressInfo).port;
    proxy = await startEgressProxy({ allowed: ['localhost'], listen: { port: 0 }, ports: [targetPort] });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  it.each([
    ['a tunnel (CONNECT, as HTTPS uses)', true],
    ['a plain HTTP proxy request', false],
  ])('lets %s through to an allowed host', async (_kind, tunnel) => {
    const answer = await curl(proxy, `http://localhost:${targetPort}/pkg`, tunnel);
    expect(answer).toEqual({ code: 0, body: `hello from localhost:${targetPort}/pkg` });
  });

  it.each([
    ['a tunnel', true, 56],
    ['a plain request', false, 0],
  ])('refuses %s to a host off the list, naming the input to change', async (_kind, tunnel, exitCode) => {
    const answer = await curl(proxy, `http://127.0.0.1:${targetPort}/`, tunnel);
    expect(answer.code).toBe(exitCode);
    if (!tunnel) expect(answer.body).toContain('Nightshift egress proxy refused 127.0.0.1');
    expect(answer.body).not.toContain('hello');
  });

  it('refuses an allowed host on another port', async () => {
    const answer = await curl(proxy, `http://localhost:1/`, true);
    expect(answer.code).toBe(56);
  });

  it('lists every host contacted or refused, with counts', async () => {
    await curl(proxy, `http://localhost:${targetPort}/a`, true);
    await curl(proxy, `http://localhost:${targetPort}/b`, false);
    await curl(proxy, `http://127.0.0.1:${targetPort}/`, true);
    expect(proxy.records()).toEqual([
      { host: 'localhost', port: targetPort, allowed: true, count: 2 },
      { host: '127.0.0.1', port: targetPort, allowed: false, count: 1 },
    ]);
  });
});

describe('the box network: a namespace whose only way out is the proxy (real unshare, root only)', () => {
  const canUnshare = process.getuid?.() === 0;
  const maybe = canUnshare ? it : it.skip;
  let target: Server;
  let targetPort: number;
  let proxy: EgressProxy;
  let socketPath: string;
  beforeEach(async () => {
    target = createServer((req, res) => res.end(`hello from ${req.headers.host}${req.url}`));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetPort = (target.address() as AddressInfo).port;
    socketPath = join(await mkdtemp(join(tmpdir(), 'egress-')), 'proxy.sock');
    proxy = await startEgressProxy({ allowed: ['localhost'], listen: { path: socketPath }, ports: [targetPort] });
  });
  afterEach(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => target.close(() => resolve()));
  });

  maybe('reaches an allowed host through the proxy, and nothing directly', async () => {
    // Inside: loopback up, the forwarder from the bundle on 127.0.0.1:3128, then curl both ways.
    const script = [
      'ip link set lo up',
      `node "$BUNDLE" --egress-forwarder "$SOCKET" 3128 >/dev/null 2>&1 & for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/3128) 2>/dev/null && break; sleep 0.1; done`,
      `echo "via-proxy: $(curl -s --max-time 5 --proxy http://127.0.0.1:3128 http://localhost:${targetPort}/ok)"`,
      `echo "direct: $(curl -s --max-time 5 http://127.0.0.1:${targetPort}/ || echo "refused $?")"`,
      `echo "off-list: $(curl -s --max-time 5 --proxytunnel --proxy http://127.0.0.1:3128 http://127.0.0.1:${targetPort}/ || echo "refused $?")"`,
      'kill %1',
    ].join('\n');
    // A PID namespace of its own too, so nothing started inside outlives the test.
    const { stdout } = await run('unshare', ['--net', '--pid', '--fork', '--kill-child', '--', 'bash', '-c', script], { env: { PATH: process.env.PATH, BUNDLE, SOCKET: socketPath } });
    expect(stdout).toContain(`via-proxy: hello from localhost:${targetPort}/ok`);
    expect(stdout).toMatch(/direct: refused 7/);
    expect(stdout).toMatch(/off-list: refused 56/);
  });
});
