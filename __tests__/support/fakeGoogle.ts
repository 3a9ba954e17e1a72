import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Google's side of Workload Identity Federation from GitHub Actions, on loopback, so the real
 * google-auth-library talks real OAuth to it:
 * - `GET /github/oidc?audience=…` with `Authorization: Bearer <request token>`: GitHub's OIDC
 *   endpoint (ACTIONS_ID_TOKEN_REQUEST_URL), answering `{"value": "<id token>"}`.
 * - `POST /sts/v1/token`: the STS token exchange (form-encoded, RFC 8693): the id token for a
 *   federated access token, for this pool's audience only.
 * - `POST /iam/v1/projects/-/serviceAccounts/{email}:generateAccessToken` with the federated
 *   token: the service account's access token (`{accessToken, expireTime}`).
 * The tokens it issued are the only ones `accepts` says yes to.
 */
export interface FakeGoogle {
  url: string;
  /** The runner's ACTIONS_ID_TOKEN_REQUEST_TOKEN the credentials file carries (a secret). */
  requestToken: string;
  /** The workload identity provider's audience. */
  audience: string;
  serviceAccount: string;
  /** Every access token handed out so far (federated and service account). */
  issued: string[];
  requests: Array<{ method: string; path: string }>;
  /** Whether `token` is a service account (or, without impersonation, federated) access token this fake issued. */
  accepts(token: string): boolean;
  /** The file google-github-actions/auth writes for Workload Identity Federation, its URLs pointing here. */
  credentialsFile(opts?: { impersonate?: boolean; quotaProject?: string }): Record<string, unknown>;
  /** Refuse every STS exchange from now on (a provider whose attribute condition does not match). */
  refuseExchange(reason: string | undefined): void;
  close(): Promise<void>;
}

export const WIF_PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/nightshift';

export async function startFakeGoogle(): Promise<FakeGoogle> {
  const requestToken = `oidc-request-${randomBytes(12).toString('hex')}`;
  const audience = `//iam.googleapis.com/${WIF_PROVIDER}`;
  const serviceAccount = 'nightshift@demo-project.iam.gserviceaccount.com';
  const idTokens = new Set<string>();
  const federated = new Set<string>();
  const serviceTokens = new Set<string>();
  const issued: string[] = [];
  const requests: FakeGoogle['requests'] = [];
  let refusal: string | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? 'GET', path: url.pathname });
      route(req, res, url, Buffer.concat(chunks).toString('utf8'));
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.method === 'GET' && url.pathname === '/github/oidc') {
      if (bearer !== requestToken) return json(res, 401, { message: 'Bad credentials' });
      const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ aud: url.searchParams.get('audience') })).toString('base64url')}.${randomBytes(16).toString('hex')}`;
      idTokens.add(token);
      return json(res, 200, { count: 1, value: token });
    }
    if (req.method === 'POST' && url.pathname === '/sts/v1/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange') return oauthError(res, 'unsupported_grant_type', 'bad grant_type');
      if (form.get('audience') !== audience) return oauthError(res, 'invalid_target', 'The target service indicated by the "audience" parameters is invalid.');
      if (!idTokens.has(form.get('subject_token') ?? '')) return oauthError(res, 'invalid_grant', 'The subject token is invalid.');
      if (refusal) return oauthError(res, 'unauthorized_client', refusal);
      const token = `ya29.federated-${randomBytes(16).toString('hex')}`;
      federated.add(token);
      issued.push(token);
      return json(res, 200, {
        access_token: token,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3599,
      });
    }
    const impersonate = /^\/iam\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url.pathname);
    if (req.method === 'POST' && impersonate) {
      if (!bearer || !federated.has(bearer)) return googleError(res, 401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
      if (decodeURIComponent(impersonate[1]!) !== serviceAccount)
        return googleError(res, 403, 'PERMISSION_DENIED', "Permission 'iam.serviceAccounts.getAccessToken' denied");
      const token = `ya29.c.sa-${randomBytes(16).toString('hex')}`;
      serviceTokens.add(token);
      issued.push(token);
      return json(res, 200, { accessToken: token, expireTime: new Date(Date.now() + 3600_000).toISOString() });
    }
    json(res, 404, { error: 'not_found', path: url.pathname });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let impersonating = true;
  return {
    url,
    requestToken,
    audience,
    serviceAccount,
    issued,
    requests,
    accepts: (token) => (impersonating ? serviceTokens.has(token) : federated.has(token) || serviceTokens.has(token)),
    credentialsFile: (opts = {}) => {
      impersonating = opts.impersonate ?? true;
      return {
        type: 'external_account',
        audience,
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        token_url: `${url}/sts/v1/token`,
        ...(impersonating ? { service_account_impersonation_url: `${url}/iam/v1/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken` } : {}),
        ...(opts.quotaProject ? { quota_project_id: opts.quotaProject } : {}),
        credential_source: {
          url: `${url}/github/oidc?api-version=2.0&audience=${encodeURIComponent(`https://iam.googleapis.com/${WIF_PROVIDER}`)}`,
          headers: { Authorization: `Bearer ${requestToken}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
      };
    },
    refuseExchange: (reason) => {
      refusal = reason;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** RFC 6749 error body, as STS answers. */
function oauthError(res: ServerResponse, error: string, description: string): void {
  json(res, 400, { error, error_description: description });
}

/** The error envelope every Google API answers with. */
export function googleErrorBody(status: number, code: string, message: string): unknown {
  return { error: { code: status, message, status: code } };
}

function googleError(res: ServerResponse, status: number, code: string, message: string): void {
  json(res, status, googleErrorBody(status, code, message));
}
