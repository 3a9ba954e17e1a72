import { execFile } from 'node:child_process';
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

// The proxy as the box uses it (a namespace whose only way out is its socket) is tested end to end in
// __tests__/e2e/box.e2e.test.ts.
