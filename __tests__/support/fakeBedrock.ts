import { createHash, createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeAnthropic, RecordedRequest } from './fakeAnthropic.js';

/**
 * A fake Amazon Bedrock runtime on loopback, in front of a fake Anthropic: a test scripts
 * the replies, the request rules and the prompt cache on the fake Anthropic as usual, and
 * the real Bedrock SDK talks to this server in Bedrock's own wire format:
 *
 * - `POST /model/{modelId}/invoke-with-response-stream` (and `/invoke`): the body is the
 *   Messages request with `anthropic_version: "bedrock-2023-05-31"`, optional `anthropic_beta`,
 *   and no `model` or `stream` (those would be a 400 ValidationException, as on Bedrock).
 *   It is forwarded to the fake Anthropic's `/v1/messages` with `model` and `stream: true`, and
 *   each SSE event comes back as an AWS event-stream `chunk` frame whose payload is
 *   `{"bytes": "<base64 of the event's JSON>"}` (prelude with total and headers length,
 *   prelude CRC32, headers `:event-type`, `:content-type`, `:message-type`, message CRC32).
 *   `message_stop` carries `amazon-bedrock-invocationMetrics` as Bedrock's does.
 * - `POST /model/{modelId}/count-tokens` (CountTokens): `{"input": {"invokeModel": {"body":
 *   "<base64 of the InvokeModel body>"}}}` → `{"inputTokens": n}`, counted by the fake Anthropic.
 * - Authentication on every route: a SigV4 `Authorization` header
 *   (`AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/bedrock/aws4_request, SignedHeaders=…,
 *   Signature=<64 hex>`) with `x-amz-date`, and `x-amz-security-token` when the credentials
 *   have a session token; with `secretAccessKey` given, the signature itself is checked. Or a
 *   Bedrock API key as `Authorization: Bearer`. Anything else is a 403 in Bedrock's words.
 * - Errors as Bedrock sends them: the status, `x-amzn-ErrorType`, and `{"message": …}`;
 *   the fake Anthropic's statuses map to Bedrock's (429 ThrottlingException, 529
 *   ServiceUnavailableException, 400 ValidationException, …).
 */
export interface FakeBedrockOptions {
  anthropic: FakeAnthropic;
  region?: string;
  /** The access key id requests must be signed with (any when unset). */
  accessKeyId?: string;
  /** When set, the signature is recomputed and must match. */
  secretAccessKey?: string;
  /** When set, `x-amz-security-token` must be this value (and be a signed header). */
  sessionToken?: string;
  /** A Bedrock API key accepted as `Authorization: Bearer`. */
  apiKey?: string;
  /** The model ids served (inference profiles, foundation models; an ARN is served when its tail is). */
  models?: string[];
}

export interface FakeBedrock {
  url: string;
  /** Every request to this fake, in arrival order (the body as parsed JSON, before forwarding). */
  requests: RecordedRequest[];
  setModels(ids: string[]): void;
  /** These models answer 403 AccessDeniedException: the account has no access to them. */
  denyModels(ids: string[]): void;
  /** These models answer CountTokens with a ValidationException: they do not count tokens on bedrock-runtime. */
  noCountTokens(ids: string[]): void;
  close(): Promise<void>;
}

export const FAKE_BEDROCK_MODELS = [
  'global.anthropic.claude-sonnet-5-5',
  'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
  'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'anthropic.claude-haiku-4-5-20251001-v1:0',
  'anthropic.claude-3-5-haiku-20241022-v1:0',
];

const ERROR_TYPE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

/** The error Bedrock answers with: its type in x-amzn-ErrorType, its message in the body. */
export class BedrockError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
  ) {}
}

const malformed = (detail: string): BedrockError =>
  new BedrockError(400, 'ValidationException', `Malformed input request: ${detail}, please reformat your input and try again.`);

/** The Messages API's statuses as Bedrock reports them. */
function bedrockErrorFor(status: number, message: string): BedrockError {
  if (status === 400) return new BedrockError(400, 'ValidationException', message);
  if (status === 401 || status === 403) return new BedrockError(403, 'AccessDeniedException', message);
  if (status === 404) return new BedrockError(404, 'ResourceNotFoundException', message);
  if (status === 408) return new BedrockError(408, 'ModelTimeoutException', message);
  if (status === 429) return new BedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
  if (status === 529 || status === 503) return new BedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
  return new BedrockError(500, 'InternalServerException', message);
}

// ---- AWS event-stream framing (application/vnd.amazon.eventstream) ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One event-stream message: string-typed headers (type 7), the payload, both CRCs. */
export function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const headerBytes = Buffer.concat(
    Object.entries(headers).map(([name, value]) => {
      const nameBytes = Buffer.from(name, 'utf8');
      const valueBytes = Buffer.from(value, 'utf8');
      const header = Buffer.alloc(1 + nameBytes.length + 1 + 2 + valueBytes.length);
      header.writeUInt8(nameBytes.length, 0);
      nameBytes.copy(header, 1);
      header.writeUInt8(7, 1 + nameBytes.length);
      header.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
      valueBytes.copy(header, 4 + nameBytes.length);
      return header;
    }),
  );
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(12 + headerBytes.length + payload.length + 4, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const message = Buffer.concat([prelude, headerBytes, payload, Buffer.alloc(4)]);
  message.writeUInt32BE(crc32(message.subarray(0, message.length - 4)), message.length - 4);
  return message;
}

/** A `chunk` event carrying one Anthropic stream event. */
export function chunkFrame(event: unknown): Buffer {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  return eventStreamMessage({ ':event-type': 'chunk', ':content-type': 'application/json', ':message-type': 'event' }, Buffer.from(JSON.stringify({ bytes })));
}

/** An exception frame, as Bedrock sends a failure after the stream's 200. */
export function exceptionFrame(type: string, message: string): Buffer {
  const name = type.charAt(0).toLowerCase() + type.slice(1);
  return eventStreamMessage(
    { ':exception-type': name, ':content-type': 'application/json', ':message-type': 'exception' },
    Buffer.from(JSON.stringify({ message })),
  );
}

// ---- SigV4 ----

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const escapeUri = (text: string): string => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** The signature SigV4 gives this request, as the AWS SDK's signer (smithy) computes it for a non-S3 service. */
export function sigV4Signature(
  req: IncomingMessage,
  body: Buffer,
  scope: { date: string; region: string; service: string; signedHeaders: string },
  secret: string,
): string {
  const url = new URL(req.url ?? '/', 'http://fake');
  const segments = url.pathname.split('/').filter((segment) => segment !== '' && segment !== '.');
  const path = escapeUri(`/${segments.join('/')}`).replace(/%2F/g, '/');
  const query = [...url.searchParams.entries()]
    .map(([key, value]) => `${escapeUri(key)}=${escapeUri(value)}`)
    .sort()
    .join('&');
  const names = scope.signedHeaders.split(';');
  const headers = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonical = [req.method, path, query, headers, scope.signedHeaders, sha256(body)].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), credentialScope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, scope.date), scope.region), scope.service), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

function authProblem(req: IncomingMessage, body: Buffer, opts: FakeBedrockOptions, region: string): BedrockError | undefined {
  const auth = req.headers.authorization ?? '';
  const denied = (type: string, message: string): BedrockError => new BedrockError(403, type, message);
  if (auth === '') return denied('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const bearer = /^Bearer (\S+)$/.exec(auth);
  if (bearer)
    return bearer[1] === opts.apiKey ? undefined : denied('UnrecognizedClientException', 'Authentication failed: Please make sure your API Key is valid.');
  const match = SIGV4.exec(auth);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!match || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return denied(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters and an X-Amz-Date header. Authorization=${auth.split(' ')[0]}`,
    );
  }
  const [, keyId, date, scopeRegion, service, signedHeaders, signature] = match as unknown as string[];
  if (!amzDate.startsWith(date!) || service !== 'bedrock' || scopeRegion !== region) {
    return denied('InvalidSignatureException', `Credential should be scoped to a valid region and service: ${scopeRegion}/${service}, not ${region}/bedrock.`);
  }
  const signed = signedHeaders!.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) return denied('InvalidSignatureException', 'The host and x-amz-date headers must be signed.');
  if (opts.accessKeyId !== undefined && keyId !== opts.accessKeyId)
    return denied('UnrecognizedClientException', 'The security token included in the request is invalid.');
  const token = req.headers['x-amz-security-token'];
  if (opts.sessionToken !== undefined && (token !== opts.sessionToken || !signed.includes('x-amz-security-token'))) {
    return denied('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (
    opts.secretAccessKey !== undefined &&
    sigV4Signature(req, body, { date: date!, region, service: service!, signedHeaders: signedHeaders! }, opts.secretAccessKey) !== signature
  ) {
    return denied(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return undefined;
}

// ---- the server ----

const ROUTE = /^\/model\/([^/]+)\/(invoke-with-response-stream|invoke|count-tokens)$/;
const MODEL_FORM = /^(?:(?:[a-z]{2,6}(?:-[a-z]+)?\.)?anthropic\.claude-[a-z0-9.:-]+|arn:aws[a-z-]*:bedrock:[a-z0-9-]+:\d{0,12}:[a-z-]+\/.+)$/;
const TOOL_BETA = /^computer-use-\d{4}-\d{2}-\d{2}$/;

/** What Bedrock's request schema refuses in an Anthropic Messages body; undefined when it accepts it. */
export function bodyProblem(body: any): BedrockError | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return malformed('#: expected type: JSONObject');
  if (!('anthropic_version' in body)) return malformed('#: required key [anthropic_version] not found');
  if (body.anthropic_version !== 'bedrock-2023-05-31') return malformed(`#/anthropic_version: ${String(body.anthropic_version)} is not a valid enum value`);
  for (const key of ['model', 'stream']) if (key in body) return malformed(`#: extraneous key [${key}] is not permitted`);
  const betas: unknown[] = Array.isArray(body.anthropic_beta) ? body.anthropic_beta : [];
  const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
  // Bedrock's schema knows the Anthropic-defined bash and editor types only with a computer-use beta.
  for (const [index, tool] of tools.entries()) {
    const type = (tool as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && /^(?:bash|text_editor)_/.test(type) && !betas.some((beta) => typeof beta === 'string' && TOOL_BETA.test(beta))) {
      return malformed(`#/tools/${index}/type: ${type} is not a valid enum value`);
    }
  }
  return undefined;
}

/** What aws-actions/configure-aws-credentials exports after assuming a role. */
export interface AwsExports {
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
  AWS_SESSION_TOKEN?: string;
  AWS_REGION: string;
}

/** The fake's options for requests signed with these credentials, in their region (the signature recomputed). */
export function signedBy(aws: AwsExports): Pick<FakeBedrockOptions, 'region' | 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  return { region: aws.AWS_REGION, accessKeyId: aws.AWS_ACCESS_KEY_ID, secretAccessKey: aws.AWS_SECRET_ACCESS_KEY, sessionToken: aws.AWS_SESSION_TOKEN };
}

export async function startFakeBedrock(opts: FakeBedrockOptions): Promise<FakeBedrock> {
  const region = opts.region ?? 'us-east-1';
  const requests: RecordedRequest[] = [];
  let models = new Set(opts.models ?? FAKE_BEDROCK_MODELS);
  let denied = new Set<string>();
  let uncounted = new Set<string>();
  const upstream = new URL(opts.anthropic.url);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        body: parseJson(raw.toString('utf8')),
        headers: req.headers,
        receivedAt: Date.now(),
        bytes: raw.length,
      };
      requests.push(record);
      handle(req, res, record, raw).catch((error: unknown) => {
        if (error instanceof BedrockError) sendError(res, error);
        else if (!res.headersSent) sendError(res, new BedrockError(500, 'InternalServerException', `fake: handler failed: ${String(error)}`));
        else res.destroy();
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, raw: Buffer): Promise<void> {
    const auth = authProblem(req, raw, opts, region);
    if (auth) throw auth;
    const route = ROUTE.exec(record.path);
    if (record.method !== 'POST' || !route) throw new BedrockError(404, 'UnknownOperationException', `fake: no operation for ${record.method} ${record.path}`);
    const modelId = decodeURIComponent(route[1]!);
    if (!MODEL_FORM.test(modelId)) throw new BedrockError(400, 'ValidationException', 'The provided model identifier is invalid.');
    const served = models.has(modelId) || [...models].some((id) => modelId.startsWith('arn:') && modelId.endsWith(`/${id}`));
    if (!served) throw new BedrockError(404, 'ResourceNotFoundException', 'Could not resolve the foundation model from the provided model identifier.');
    if (denied.has(modelId)) throw new BedrockError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.");
    if (route[2] === 'count-tokens') return countTokens(res, modelId, record.body);
    const invalid = bodyProblem(record.body);
    if (invalid) throw invalid;
    const rest = messagesBody(record.body as Record<string, unknown>);
    const streaming = route[2] === 'invoke-with-response-stream';
    await forward(req, res, { ...rest, model: modelId, stream: streaming }, streaming);
  }

  async function countTokens(res: ServerResponse, modelId: string, body: any): Promise<void> {
    const encoded: unknown = body?.input?.invokeModel?.body;
    if (typeof encoded !== 'string')
      throw new BedrockError(400, 'ValidationException', "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must not be null");
    if (uncounted.has(modelId)) throw new BedrockError(400, 'ValidationException', "The provided model doesn't support counting tokens.");
    const inner = parseJson(Buffer.from(encoded, 'base64').toString('utf8')) as Record<string, unknown> | null;
    const invalid = bodyProblem(inner);
    if (invalid) throw invalid;
    const rest = messagesBody(inner!);
    const answer = await post('/v1/messages/count_tokens', { ...rest, model: modelId });
    const text = await readAll(answer);
    if (answer.statusCode !== 200) throw bedrockErrorFor(answer.statusCode ?? 500, errorMessageOf(text));
    sendJson(res, 200, { inputTokens: (JSON.parse(text) as { input_tokens: number }).input_tokens });
  }

  function post(path: string, body: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const upstreamRequest = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': 'fake-bedrock' },
          signal,
        },
        resolve,
      );
      upstreamRequest.on('error', reject);
      upstreamRequest.end(JSON.stringify(body));
    });
  }

  /** The fake Anthropic's answer, re-framed: SSE events become event-stream chunks; a JSON reply passes as it is. */
  async function forward(req: IncomingMessage, res: ServerResponse, body: unknown, streaming: boolean): Promise<void> {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const answer = await post('/v1/messages', body, abort.signal).catch((error: unknown) => {
      if (abort.signal.aborted) return undefined;
      throw error;
    });
    if (!answer) return;
    if (answer.statusCode !== 200) {
      throw bedrockErrorFor(answer.statusCode ?? 500, errorMessageOf(await readAll(answer)));
    }
    if (!streaming) {
      sendJson(res, 200, JSON.parse(await readAll(answer)));
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': `fake-${requests.length}`,
      'x-amzn-bedrock-content-type': 'application/json',
    });
    res.flushHeaders();
    await relaySse(answer, res);
  }

  function relaySse(answer: IncomingMessage, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      let buffered = '';
      answer.setEncoding('utf8');
      answer.on('data', (text: string) => {
        buffered += text;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          const event = data === undefined ? undefined : (parseJson(data) as { type?: string; error?: { type?: string; message?: string } } | null);
          if (!event || event.type === 'ping') continue;
          if (event.type === 'error') {
            const status = event.error?.type === 'overloaded_error' ? 529 : 500;
            const mapped = bedrockErrorFor(status, event.error?.message ?? 'error');
            res.write(exceptionFrame(mapped.type, mapped.message));
            continue;
          }
          if (event.type === 'message_stop') {
            Object.assign(event, {
              'amazon-bedrock-invocationMetrics': { inputTokenCount: 0, outputTokenCount: 0, invocationLatency: 1, firstByteLatency: 1 },
            });
          }
          res.write(chunkFrame(event));
        }
      });
      // A cut upstream (the fake Anthropic's CutFault) cuts this stream too; a clean end ends it.
      answer.on('aborted', () => {
        res.destroy();
        resolve();
      });
      answer.on('error', () => {
        res.destroy();
        resolve();
      });
      answer.on('end', () => {
        if (!answer.complete) res.destroy();
        else res.end();
        resolve();
      });
    });
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `fake-${requests.length}` });
    res.end(JSON.stringify(body));
  }

  function sendError(res: ServerResponse, error: BedrockError): void {
    if (res.destroyed || res.headersSent) return void res.destroy();
    res.writeHead(error.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': `${error.type}${ERROR_TYPE_SUFFIX}`,
      'x-amzn-requestid': `fake-${requests.length}`,
    });
    res.end(JSON.stringify({ message: error.message }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setModels: (ids) => {
      models = new Set(ids);
    },
    denyModels: (ids) => {
      denied = new Set(ids);
    },
    noCountTokens: (ids) => {
      uncounted = new Set(ids);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The Messages body Bedrock's fields wrap: what the fake Anthropic is asked. */
function messagesBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'anthropic_version' && key !== 'anthropic_beta'));
}

function readAll(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

function errorMessageOf(text: string): string {
  const parsed = parseJson(text) as { error?: { message?: string } } | null;
  return parsed?.error?.message ?? text;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
