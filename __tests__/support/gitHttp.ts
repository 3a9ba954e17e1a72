import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname } from 'node:path';
import { heads } from './fakeCommits.js';
import type { RecordedCommit } from './fakeCommits.js';

export interface GitHttpRequest {
  method: string;
  path: string;
  /** The Authorization header as sent, and the token in it (Basic `x-access-token:<token>`). */
  authorization?: string;
  token?: string;
}

export interface GitHttpServer {
  /** The server's root, e.g. http://127.0.0.1:PORT, as GITHUB_SERVER_URL. */
  url: string;
  /** The clone URL of `owner/repo`, served from the bare origin. */
  repoUrl: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

/**
 * The bare origin over git's smart HTTP, as github.com serves a repository:
 * `git http-backend` (CGI) behind a node:http server that insists on an
 * Authorization header and records each one, so a test sees which token a
 * fetch or push used. A push's new branch heads go to `commits` as unsigned.
 */
export async function startGitHttp(opts: { origin: string; owner: string; repo: string; commits?: RecordedCommit[] }): Promise<GitHttpServer> {
  const requests: GitHttpRequest[] = [];
  const prefix = `/${opts.owner}/${opts.repo}.git`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const authorization = request.headers.authorization;
    const basic = /^basic\s+(\S+)$/i.exec(authorization ?? '');
    const token = basic
      ? Buffer.from(basic[1]!, 'base64')
          .toString('utf8')
          .replace(/^[^:]*:/, '')
      : undefined;
    requests.push({ method: request.method ?? 'GET', path: url.pathname, authorization, token });
    if (!token || !url.pathname.startsWith(prefix)) {
      response
        .writeHead(token ? 404 : 401, { 'www-authenticate': 'Basic realm="GitHub"', 'content-type': 'text/plain' })
        .end(token ? 'Not Found' : 'Unauthorized');
      return;
    }
    const pushing = url.pathname.endsWith('/git-receive-pack');
    const before = pushing ? heads(opts.origin) : undefined;
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: dirname(opts.origin),
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: `/${basename(opts.origin)}${url.pathname.slice(prefix.length)}`,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        REQUEST_METHOD: request.method ?? 'GET',
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    request.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      headersDone = true;
      const lines = head.subarray(0, end).toString('utf8').split('\r\n');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      response.write(head.subarray(end + 4));
    });
    cgi.on('close', () => {
      if (before && opts.commits) {
        for (const [branch, oid] of heads(opts.origin))
          if (before.get(branch) !== oid) opts.commits.push({ oid, branch, verified: false, via: 'push', headline: '', body: '', token: token ?? '' });
      }
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    repoUrl: `${url}${prefix}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
