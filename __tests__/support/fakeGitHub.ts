import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtProblem, installationToken, type FakeApp } from './fakeApp.js';
import { createCommitOnBranch, hasCommit, refOf, setRef, type RecordedCommit } from './fakeCommits.js';

/**
 * A fake GitHub REST API on loopback for the real Octokit (through
 * GITHUB_API_URL): in-memory issues, comments, reactions, pull requests,
 * labels, reviewers and permissions, realistic payloads, a request log, and
 * fault injection. Unknown routes answer 404 and are logged, so a test sees
 * calls it did not expect.
 */

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  headers: IncomingHttpHeaders;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  times: number;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedGitHubRequest[];
  pulls: any[];
  issues: Map<number, any>;
  reactions: Array<{ subject: string; content: string }>;
  comments(issueNumber: number): any[];
  addIssue(issue: { number: number; title: string; body: string; user: string; labels?: string[] }): void;
  setPermission(login: string, permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'): void;
  failNext(method: string, path: RegExp, fault: { status: number; body?: unknown; headers?: Record<string, string>; times?: number }): void;
  /** Turns the "Allow GitHub Actions to create and approve pull requests" setting off: creating a PR answers 403. */
  forbidPullRequestCreation(): void;
  /**
   * The repository's Actions workflow settings (GET /repos/{o}/{r}/actions/permissions/workflow). The
   * endpoint needs admin read, which the workflow token lacks: unreadable (403) unless `readable`.
   */
  setWorkflowSettings(settings: { readable?: boolean; canApprove?: boolean; defaultPermissions?: 'read' | 'write' }): void;
  /** Adds a repository ruleset: its rules apply to the listed branches (names, `nightshift/**` patterns, or `~ALL` / `~DEFAULT_BRANCH` as GitHub spells them). */
  addRuleset(ruleset: { branches: string[]; rules: Array<{ type: string; parameters?: Record<string, unknown> }> }): void;
  /**
   * Holds the answer to the next matching request until `until` settles (as a
   * slow GitHub would); `releasedAt` says when it was let go.
   */
  holdNext(method: string, path: RegExp, until: Promise<unknown>): { releasedAt?: number };
  /**
   * An uploaded attachment at `path` on this server (`/user-attachments/assets/<id>`,
   * `/<owner>/<repo>/assets/…`), served only with the token. A private one answers, as
   * GitHub.com does, a 302 to a signed URL on the second host, `imagesUrl`.
   */
  addAttachment(path: string, file: { bytes: Buffer; contentType?: string; private?: boolean }): void;
  /** The private images host (another server on loopback) and what it was asked. */
  imagesUrl: string;
  imageRequests: RecordedGitHubRequest[];
  /** The files GET /repos/{o}/{r}/pulls/{n}/files lists for PR `number`. */
  setPullFiles(number: number, files: Array<{ filename: string; status: string; additions: number; deletions: number; previous_filename?: string }>): void;
  /** Commits that reached `origin`: createCommitOnBranch's (verified) and, where a git server records them, pushes (not verified). */
  commits: RecordedCommit[];
  /** Installs a GitHub App on the repository: its JWT opens the app routes, and the installation tokens it gets are listed in `appTokens`. */
  addApp(app: FakeApp): void;
  appTokens: string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: {
  owner: string;
  repo: string;
  defaultBranch?: string;
  /** The bare repository behind the git refs API and createCommitOnBranch. */
  origin?: string;
}): Promise<FakeGitHub> {
  const { owner, repo } = opts;
  const full = `${owner}/${repo}`;
  const html = `https://github.com/${full}`;
  const requests: RecordedGitHubRequest[] = [];
  const faults: Fault[] = [];
  const holds: Array<{ method: string; path: RegExp; until: Promise<unknown>; record: { releasedAt?: number }; used: boolean }> = [];
  const issues = new Map<number, any>();
  const pulls: any[] = [];
  const comments: any[] = [];
  const reactions: Array<{ subject: string; content: string }> = [];
  const permissions = new Map<string, string>();
  const rulesets: Array<{ id: number; branches: string[]; rules: Array<{ type: string; parameters?: Record<string, unknown> }> }> = [];
  const workflowSettings = { readable: false, canApprove: true, defaultPermissions: 'read' as 'read' | 'write' };
  let nextNumber = 1;
  let nextId = 1000;
  const now = () => new Date().toISOString();
  const user = (login: string) => ({
    login,
    id: login.length * 7 + 100,
    type: login.endsWith('[bot]') ? 'Bot' : 'User',
    html_url: `https://github.com/${login}`,
  });

  const pullFiles = new Map<number, any[]>();
  const commits: RecordedCommit[] = [];
  const apps: FakeApp[] = [];
  const appTokens: string[] = [];
  const tokenOf = (req: RecordedGitHubRequest) => String(req.headers.authorization ?? '').replace(/^(token|bearer)\s+/i, '');
  // The account a token acts as: the app's bot for its installation tokens, else the workflow's.
  const actor = (req: RecordedGitHubRequest) =>
    appTokens.includes(tokenOf(req))
      ? { name: `${apps[0]!.slug}[bot]`, email: `${apps[0]!.id}+${apps[0]!.slug}[bot]@users.noreply.github.com` }
      : { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
  const refBody = (branch: string, sha: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: `REF_${branch}`,
    url: `https://api.github.com/repos/${full}/git/refs/heads/${branch}`,
    object: { sha, type: 'commit', url: `https://api.github.com/repos/${full}/git/commits/${sha}` },
  });
  const appRoute = (req: RecordedGitHubRequest): [number, unknown] | FakeApp => {
    const app = apps[0];
    if (!app) return [404, { message: 'Not Found' }];
    const problem = jwtProblem(req.headers.authorization, app);
    return problem ? [401, { message: problem, documentation_url: 'https://docs.github.com/rest' }] : app;
  };
  const routes: Array<[string, RegExp, (match: RegExpMatchArray, req: RecordedGitHubRequest) => [number, unknown, Record<string, string>?]]> = [
    [
      'GET',
      new RegExp(`^/repos/${full}$`),
      () => [200, { id: 1, name: repo, full_name: full, html_url: html, default_branch: opts.defaultBranch ?? 'main', private: false, owner: user(owner) }],
    ],
    [
      'GET',
      new RegExp(`^/repos/${full}/issues$`),
      (_match, req) => {
        const labels = (req.query.get('labels') ?? '').split(',').filter(Boolean);
        const state = req.query.get('state') ?? 'open';
        const listed = [...issues.values(), ...pulls.map((pr) => ({ ...pr, pull_request: { url: pr.url } }))];
        return [
          200,
          listed.filter(
            (item) => (state === 'all' || item.state === state) && labels.every((label) => item.labels.some((l: { name: string }) => l.name === label)),
          ),
        ];
      },
    ],
    ['GET', new RegExp(`^/repos/${full}/issues/(\\d+)$`), ([, n]) => (issues.has(Number(n)) ? [200, issues.get(Number(n))] : [404, { message: 'Not Found' }])],
    ['GET', new RegExp(`^/repos/${full}/issues/(\\d+)/comments$`), ([, n]) => [200, comments.filter((c) => c.issue_number === Number(n))]],
    [
      'POST',
      new RegExp(`^/repos/${full}/issues/(\\d+)/comments$`),
      ([, n], req) => {
        if (tooLong(req.body.body)) return tooLong(req.body.body)!;
        const id = nextId++;
        const comment = {
          id,
          node_id: `IC_${id}`,
          issue_number: Number(n),
          body: req.body.body,
          user: user('github-actions[bot]'),
          html_url: `${html}/issues/${n}#issuecomment-${id}`,
          created_at: now(),
          updated_at: now(),
        };
        comments.push(comment);
        return [201, comment];
      },
    ],
    [
      'PATCH',
      new RegExp(`^/repos/${full}/issues/comments/(\\d+)$`),
      ([, id], req) => {
        const comment = comments.find((c) => c.id === Number(id));
        if (!comment) return [404, { message: 'Not Found' }];
        if (tooLong(req.body.body)) return tooLong(req.body.body)!;
        Object.assign(comment, { body: req.body.body, updated_at: now() });
        return [200, comment];
      },
    ],
    [
      'POST',
      new RegExp(`^/repos/${full}/issues/(\\d+)/labels$`),
      ([, n], req) => {
        const target = pulls.find((p) => p.number === Number(n)) ?? issues.get(Number(n));
        if (!target) return [404, { message: 'Not Found' }];
        const names: string[] = req.body.labels ?? [];
        target.labels = [...target.labels, ...names.map((name) => ({ id: nextId++, name, color: 'ededed' }))];
        return [200, target.labels];
      },
    ],
    [
      'POST',
      new RegExp(`^/repos/${full}/(issues|issues/comments|pulls/comments)/(\\d+)/reactions$`),
      ([, kind, id], req) => {
        reactions.push({ subject: `${kind}/${id}`, content: req.body.content });
        return [201, { id: nextId++, content: req.body.content, user: user('github-actions[bot]') }];
      },
    ],
    [
      'GET',
      new RegExp(`^/repos/${full}/pulls$`),
      (_match, req) => {
        const head = req.query.get('head');
        const state = req.query.get('state') ?? 'open';
        return [200, pulls.filter((p) => (!head || `${owner}:${p.head.ref}` === head) && (state === 'all' || p.state === state))];
      },
    ],
    [
      'GET',
      new RegExp(`^/repos/${full}/pulls/(\\d+)$`),
      ([, n]) => {
        const pr = pulls.find((p) => p.number === Number(n));
        return pr ? [200, pr] : [404, { message: 'Not Found' }];
      },
    ],
    [
      'POST',
      new RegExp(`^/repos/${full}/pulls$`),
      (_match, req) => {
        const { title, body, head, base, draft } = req.body;
        if (pulls.some((p) => p.state === 'open' && p.head.ref === head)) {
          return [
            422,
            {
              message: 'Validation Failed',
              errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${head}.` }],
            },
          ];
        }
        const number = nextNumber++;
        const pr = {
          id: nextId++,
          node_id: `PR_${number}`,
          number,
          state: 'open',
          title,
          body,
          draft: Boolean(draft),
          html_url: `${html}/pull/${number}`,
          url: `https://api.github.com/repos/${full}/pulls/${number}`,
          user: user('github-actions[bot]'),
          labels: [] as any[],
          requested_reviewers: [] as any[],
          head: { ref: head, sha: 'a'.repeat(40), repo: { full_name: full } },
          base: { ref: base, sha: 'b'.repeat(40), repo: { full_name: full } },
          created_at: now(),
          updated_at: now(),
        };
        pulls.push(pr);
        return [201, pr];
      },
    ],
    [
      'PATCH',
      new RegExp(`^/repos/${full}/pulls/(\\d+)$`),
      ([, n], req) => {
        const pr = pulls.find((p) => p.number === Number(n));
        if (!pr) return [404, { message: 'Not Found' }];
        for (const key of ['title', 'body', 'state', 'base'] as const)
          if (req.body[key] !== undefined) pr[key] = key === 'base' ? { ...pr.base, ref: req.body.base } : req.body[key];
        pr.updated_at = now();
        return [200, pr];
      },
    ],
    [
      'POST',
      new RegExp(`^/repos/${full}/pulls/(\\d+)/requested_reviewers$`),
      ([, n], req) => {
        const pr = pulls.find((p) => p.number === Number(n));
        if (!pr) return [404, { message: 'Not Found' }];
        pr.requested_reviewers = [...pr.requested_reviewers, ...(req.body.reviewers ?? []).map(user)];
        return [201, pr];
      },
    ],
    ['GET', new RegExp(`^/repos/${full}/pulls/(\\d+)/(comments|reviews)$`), () => [200, []]],
    [
      'GET',
      new RegExp(`^/repos/${full}/collaborators/([^/]+)/permission$`),
      ([, login]) => {
        const permission = permissions.get(decodeURIComponent(login!).toLowerCase()); // GitHub matches logins in any case.
        if (!permission) return [404, { message: 'Not Found' }];
        const legacy = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission;
        return [200, { permission: legacy, role_name: permission, user: user(decodeURIComponent(login!)) }];
      },
    ],
    [
      'GET',
      new RegExp(`^/repos/${full}/actions/permissions/workflow$`),
      () =>
        workflowSettings.readable
          ? [200, { default_workflow_permissions: workflowSettings.defaultPermissions, can_approve_pull_request_reviews: workflowSettings.canApprove }]
          : [
              403,
              {
                message: 'Resource not accessible by integration',
                documentation_url: 'https://docs.github.com/rest/actions/permissions#get-default-workflow-permissions-for-a-repository',
                status: '403',
              },
            ],
    ],
    // Repository rulesets: "Get rules for a branch" lists every active rule that applies, whether or not the branch exists.
    [
      'GET',
      new RegExp(`^/repos/${full}/rules/branches/(.+)$`),
      ([, name], req) => {
        const branch = decodeURIComponent(name!);
        // fnmatch as rulesets use it: `*` within a path segment, `**` across them.
        const glob = (target: string) =>
          new RegExp(
            `^${target
              .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
              .replace(/\*\*/g, '\0')
              .replace(/\*/g, '[^/]*')
              .replace(/\0/g, '.*')}$`,
          );
        const applies = (target: string) =>
          target === '~ALL' ||
          target === branch ||
          (target === '~DEFAULT_BRANCH' && branch === (opts.defaultBranch ?? 'main')) ||
          (target.includes('*') && glob(target).test(branch));
        const active = rulesets.filter((set) => set.branches.some(applies));
        const all = active.flatMap((set) =>
          set.rules.map((rule) => ({ ...rule, ruleset_source_type: 'Repository', ruleset_source: full, ruleset_id: set.id })),
        );
        // Paginated as documented: per_page (default 30, at most 100) and page.
        const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
        const page = Number(req.query.get('page') ?? 1);
        return [200, all.slice((page - 1) * perPage, page * perPage)];
      },
    ],
    // The git database's refs, on the bare origin (only with `origin`).
    [
      'GET',
      new RegExp(`^/repos/${full}/git/ref/(.+)$`),
      ([, name]) => {
        // Octokit sends the ref's slashes encoded (heads%2Fnightshift%2F…); GitHub takes either spelling.
        const ref = decodeURIComponent(name!);
        const branch = ref.replace(/^heads\//, '');
        const sha = opts.origin && ref.startsWith('heads/') ? refOf(opts.origin, branch) : undefined;
        return sha ? [200, refBody(branch, sha)] : [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/git/refs#get-a-reference' }];
      },
    ],
    [
      'POST',
      new RegExp(`^/repos/${full}/git/refs$`),
      (_match, req) => {
        const { ref, sha } = req.body ?? {};
        if (!opts.origin) return [404, { message: 'Not Found' }];
        if (typeof ref !== 'string' || !/^refs\/[^/]+\/.+/.test(ref))
          return [422, { message: "Reference name must start with 'refs/' and have at least two slashes." }];
        if (typeof sha !== 'string' || !hasCommit(opts.origin, sha)) return [422, { message: 'Object does not exist' }];
        const branch = ref.replace(/^refs\/heads\//, '');
        if (refOf(opts.origin, branch)) return [422, { message: 'Reference already exists' }];
        setRef(opts.origin, branch, sha);
        return [201, refBody(branch, sha)];
      },
    ],
    // GitHub App endpoints: a JWT signed with the app's key, checked as GitHub checks it.
    [
      'GET',
      new RegExp(`^/repos/${full}/installation$`),
      (_match, req) => {
        const app = appRoute(req);
        if (Array.isArray(app)) return app;
        return [
          200,
          {
            id: app.installationId,
            app_id: Number(app.id),
            app_slug: app.slug,
            account: user(owner),
            repository_selection: 'selected',
            access_tokens_url: `${baseUrl()}/app/installations/${app.installationId}/access_tokens`,
          },
        ];
      },
    ],
    [
      'POST',
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      ([, id], req) => {
        const app = appRoute(req);
        if (Array.isArray(app)) return app;
        if (Number(id) !== app.installationId) return [404, { message: 'Not Found' }];
        const names: string[] = req.body?.repositories ?? [repo];
        if (names.some((name) => name !== repo))
          return [422, { message: 'There is at least one repository that does not exist or is not accessible to the parent installation.' }];
        const token = installationToken();
        appTokens.push(token);
        const expires = new Date(Date.now() + 3600_000).toISOString();
        return [
          201,
          {
            token,
            expires_at: expires,
            permissions: { contents: 'write', pull_requests: 'write', metadata: 'read' },
            repository_selection: 'selected',
            repositories: [{ id: 1, name: repo, full_name: full }],
          },
        ];
      },
    ],
    [
      'POST',
      /^\/graphql$/,
      (_match, req) => {
        if (/createCommitOnBranch/.test(req.body?.query ?? '')) {
          if (!opts.origin) return [200, { data: null, errors: [{ type: 'NOT_FOUND', message: 'no origin' }] }];
          const input = req.body.variables?.input;
          const answer = createCommitOnBranch({ origin: opts.origin, full, input, author: actor(req) });
          if (answer.oid)
            commits.push({
              oid: answer.oid,
              branch: input.branch.branchName,
              verified: true,
              via: 'createCommitOnBranch',
              headline: input.message.headline,
              body: input.message.body ?? '',
              token: tokenOf(req),
            });
          return [answer[0], answer[1]];
        }
        const id: string = req.body.variables?.id ?? '';
        const pr = pulls.find((p) => p.node_id === id);
        if (!pr) return [200, { data: null, errors: [{ message: `Could not resolve to a node with the global id of '${id}'` }] }];
        pr.draft = /convertPullRequestToDraft/.test(req.body.query);
        const field = pr.draft ? 'convertPullRequestToDraft' : 'markPullRequestReadyForReview';
        return [200, { data: { [field]: { pullRequest: { isDraft: pr.draft } } } }];
      },
    ],
    // The request reaching the model: a PR's changed files, paginated as GitHub documents it (per_page up to 100, a Link header).
    [
      'GET',
      new RegExp(`^/repos/${full}/pulls/(\\d+)/files$`),
      ([, n], req) => {
        const files = pullFiles.get(Number(n)) ?? (pulls.some((p) => p.number === Number(n)) ? [] : undefined);
        if (!files) return [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files' }];
        const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
        const page = Number(req.query.get('page') ?? 1);
        const slice = files.slice((page - 1) * perPage, page * perPage);
        const last = Math.max(1, Math.ceil(files.length / perPage));
        const link = (p: number, rel: string) => `<${baseUrl()}/repos/${full}/pulls/${n}/files?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
        return [
          200,
          slice.map((file) => ({ sha: 'c'.repeat(40), changes: file.additions + file.deletions, ...file })),
          links.length ? { link: links.join(', ') } : undefined,
        ];
      },
    ],
  ];

  const send = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', ...headers });
    response.end(status === 204 ? undefined : JSON.stringify(body));
  };

  // The request reaching the model: attachments, and the private images host their signed URLs point to.
  const attachments = new Map<string, { bytes: Buffer; contentType?: string; private?: boolean; jwt: string }>();
  const imageRequests: RecordedGitHubRequest[] = [];
  const images: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    imageRequests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, body: null, headers: request.headers, at: Date.now() });
    const file = attachments.get(decodeURIComponent(url.pathname.replace(/^\/signed/, '')));
    if (!file?.private || url.searchParams.get('jwt') !== file.jwt) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType ?? 'image/png', 'content-length': String(file.bytes.length) }).end(file.bytes);
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  const imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
  const serveAttachment = (recorded: RecordedGitHubRequest, response: ServerResponse): boolean => {
    const file = recorded.method === 'GET' ? attachments.get(recorded.path) : undefined;
    if (!file) return false;
    if (file.private) {
      response.writeHead(302, { location: `${imagesUrl}/signed${recorded.path}?jwt=${file.jwt}` }).end();
      return true;
    }
    response.writeHead(200, { 'content-type': file.contentType ?? 'image/png', 'content-length': String(file.bytes.length) }).end(file.bytes);
    return true;
  };

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      const recorded: RecordedGitHubRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        body,
        headers: request.headers,
        at: Date.now(),
      };
      requests.push(recorded);
      if (!/^(token|bearer) \S+/i.test(request.headers.authorization ?? '')) {
        send(response, 401, { message: 'Requires authentication' });
        return;
      }
      const hold = holds.find((h) => !h.used && h.method === recorded.method && h.path.test(recorded.path));
      if (hold) hold.used = true;
      void (hold ? hold.until.finally(() => (hold.record.releasedAt = Date.now())) : Promise.resolve()).then(() => answer(recorded, response));
    });
  });
  const answer = (recorded: RecordedGitHubRequest, response: ServerResponse) => {
    {
      const fault = faults.find((f) => f.method === recorded.method && f.path.test(recorded.path) && f.times > 0);
      if (fault) {
        fault.times -= 1;
        send(response, fault.status, fault.body ?? { message: `fake fault ${fault.status}` }, fault.headers);
        return;
      }
      if (serveAttachment(recorded, response)) return;
      for (const [method, pattern, handler] of routes) {
        const match = recorded.path.match(pattern);
        if (method === recorded.method && match) {
          const [status, payload, headers] = handler(match, recorded);
          send(response, status, payload, headers);
          return;
        }
      }
      send(response, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  function baseUrl(): string {
    return `http://127.0.0.1:${port}`;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    pulls,
    issues,
    reactions,
    comments: (issueNumber) => comments.filter((c) => c.issue_number === issueNumber),
    addIssue: (issue) => {
      nextNumber = Math.max(nextNumber, issue.number + 1);
      issues.set(issue.number, {
        id: nextId++,
        node_id: `I_${issue.number}`,
        number: issue.number,
        title: issue.title,
        body: issue.body,
        state: 'open',
        user: user(issue.user),
        labels: (issue.labels ?? []).map((name) => ({ id: nextId++, name })),
        html_url: `${html}/issues/${issue.number}`,
        created_at: now(),
        updated_at: now(),
      });
    },
    setPermission: (login, permission) => permissions.set(login.toLowerCase(), permission),
    holdNext: (method, path, until) => {
      const record: { releasedAt?: number } = {};
      holds.push({ method, path, until, record, used: false });
      return record;
    },
    failNext: (method, path, fault) => faults.push({ method, path, status: fault.status, body: fault.body, headers: fault.headers, times: fault.times ?? 1 }),
    addRuleset: (ruleset) => rulesets.push({ id: nextId++, ...ruleset }),
    setWorkflowSettings: (settings) => Object.assign(workflowSettings, settings),
    forbidPullRequestCreation: () => {
      workflowSettings.canApprove = false;
      faults.push({
        method: 'POST',
        path: new RegExp(`^/repos/${full}/pulls$`),
        status: 403,
        body: {
          message: 'GitHub Actions is not permitted to create or approve pull requests.',
          documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
        },
        times: Number.POSITIVE_INFINITY,
      });
    },
    addAttachment: (path, file) => attachments.set(path, { ...file, jwt: `signed-${nextId++}` }),
    imagesUrl,
    imageRequests,
    setPullFiles: (number, files) => pullFiles.set(number, files),
    commits,
    addApp: (app) => apps.push(app),
    appTokens,
    close: async () => {
      images.closeAllConnections();
      await new Promise<void>((resolve) => images.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** GitHub refuses a comment body over 65,536 characters with 422 Validation Failed. */
function tooLong(body: unknown): [number, unknown] | undefined {
  if (typeof body !== 'string' || body.length <= 65_536) return undefined;
  return [
    422,
    {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: 'Body is too long (maximum is 65536 characters)' }],
      documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    },
  ];
}
