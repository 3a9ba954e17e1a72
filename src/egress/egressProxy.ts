import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { hostAllowed } from './allowedHosts.js';

/** One host the box asked for, how often, and whether it was let through. */
export interface EgressRecord {
  host: string;
  port: number;
  allowed: boolean;
  count: number;
}

export interface EgressProxy {
  /** Where it listens: a Unix socket path, or `127.0.0.1:<port>`. */
  address: string;
  /** The hosts it lets through. */
  allowed: string[];
  /** Every host contacted or refused, in first-seen order. */
  records(): EgressRecord[];
  close(): Promise<void>;
}

/** Web ports only: an allowed host is not a way to reach its SSH or database port. */
const WEB_PORTS = [80, 443];
const IDLE_MS = 10 * 60 * 1000;

/**
 * An HTTP proxy that enforces host names: `CONNECT host:443` (HTTPS, tunnelled
 * untouched) and absolute-form `http://host/…` requests reach `allowed` hosts on
 * ports 80 and 443; everything else is answered 403 with the host and the input
 * to change. It is the box's only way out: the box's network namespace has no
 * route of its own, so nothing can bypass it by ignoring HTTPS_PROXY.
 */
export async function startEgressProxy(opts: { allowed: string[]; listen: { path: string } | { port: number }; ports?: number[] }): Promise<EgressProxy> {
  const ports = new Set(opts.ports ?? WEB_PORTS);
  const seen = new Map<string, EgressRecord>();
  const open = new Set<Duplex>();
  const track = (socket: Duplex): void => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const decide = (host: string, port: number): boolean => {
    const allowed = ports.has(port) && hostAllowed(host, opts.allowed);
    const key = `${host.toLowerCase()}:${port}`;
    const record = seen.get(key) ?? { host: host.toLowerCase(), port, allowed, count: 0 };
    record.count += 1;
    seen.set(key, record);
    return allowed;
  };

  const server = createServer((req, res) => forwardPlainHttp(req, res, decide, track));
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target || !decide(target.host, target.port)) {
      client.end(refusal(target ? `${target.host}:${target.port}` : String(req.url)));
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    track(upstream);
    upstream.setTimeout(IDLE_MS, () => upstream.destroy());
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
      client.destroy();
    });
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => track(socket));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if ('path' in opts.listen) server.listen(opts.listen.path, resolve);
    else server.listen(opts.listen.port, '127.0.0.1', resolve);
  });
  const bound = server.address();
  const address = typeof bound === 'string' ? bound : `127.0.0.1:${bound?.port ?? 0}`;
  return {
    address,
    allowed: [...opts.allowed],
    records: () => [...seen.values()].map((record) => ({ ...record })),
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forwardPlainHttp(req: IncomingMessage, res: ServerResponse, decide: (host: string, port: number) => boolean, track: (socket: Duplex) => void): void {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('Nightshift egress proxy: only proxy requests (absolute URLs) and CONNECT are served\n');
    return;
  }
  const port = Number(url.port || 80);
  if (url.protocol !== 'http:' || !decide(url.hostname, port)) {
    res.writeHead(403, { 'content-type': 'text/plain' }).end(refusalText(`${url.hostname}:${port}`));
    return;
  }
  const upstream = httpRequest(
    { host: url.hostname, port, method: req.method, path: `${url.pathname}${url.search}`, headers: withoutProxyHeaders(req.headers) },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('socket', track);
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end();
  });
  req.pipe(upstream);
}

function withoutProxyHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const rest = { ...headers };
  delete rest['proxy-authorization'];
  delete rest['proxy-connection'];
  return rest;
}

/** `host:port` of a CONNECT request; IPv6 literals come in brackets. */
function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(authority);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port > 0 && port < 65536 ? { host: match[1]!.replace(/^\[|\]$/g, ''), port } : undefined;
}

function refusalText(target: string): string {
  return `Nightshift egress proxy refused ${target}: not on the allowlist (add the host to the allowed_hosts input, or set network: open).\n`;
}

function refusal(target: string): string {
  const body = refusalText(target);
  return `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
