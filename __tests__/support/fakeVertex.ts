import { createServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_MODELS, startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from './fakeAnthropic.js';
import { googleErrorBody, type FakeGoogle } from './fakeGoogle.js';

/**
 * Vertex AI's Claude endpoints on loopback, in front of a fake Anthropic (which keeps its
 * scripting, its request rules and its prompt cache: the body Vertex gets is the Messages API's
 * with `model` moved into the path and `anthropic_version` added, so the seam is that move).
 *
 * What Vertex itself checks, with Google's error envelope `{error: {code, message, status}}`:
 * - `POST /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:streamRawPredict`
 *   (and `:rawPredict`; `count-tokens:rawPredict` counts); another path is 404.
 * - `Authorization: Bearer <token>` that the fake Google issued: 401 UNAUTHENTICATED otherwise.
 * - The project and region it serves: 403 PERMISSION_DENIED for another project, 404 for another region.
 * - A body with `anthropic_version: "vertex-2023-10-16"` and no `model`: 400 INVALID_ARGUMENT otherwise.
 * - A model it does not serve: 404 NOT_FOUND ("Publisher Model … not found").
 * - `fail(status)`: the next requests get Google's quota error (429 RESOURCE_EXHAUSTED) or another status.
 */
export interface FakeVertex {
  /** For ANTHROPIC_VERTEX_BASE_URL: the SDK appends `/projects/…` to it. */
  url: string;
  /** The fake Anthropic behind it: script replies there. */
  anthropic: FakeAnthropic;
  /** Every request as Vertex received it (path, headers, body). */
  requests: VertexRequest[];
  /** Queues Google-style failures for the next model requests. */
  fail(...statuses: number[]): void;
  setModels(models: string[]): void;
  close(): Promise<void>;
}

export const VERTEX_VERSION = 'vertex-2023-10-16';

export interface VertexRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
  status: number;
  /** What the reply billed, read from its stream (message_start, then message_delta's output tokens). */
  usage?: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number | null; cache_read_input_tokens: number | null };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export async function startFakeVertex(opts: {
  google: FakeGoogle;
  project: string;
  region: string;
  /** Served models, in Vertex form (`claude-sonnet-4-5@20250929`) or undated. Default: FAKE_MODELS. */
  models?: string[];
  anthropic?: FakeAnthropicOptions;
}): Promise<FakeVertex> {
  const anthropic = await startFakeAnthropic(opts.anthropic);
  let models = opts.models ?? FAKE_MODELS;
  const failures: number[] = [];
  const requests: FakeVertex['requests'] = [];

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const body = parse(Buffer.concat(chunks).toString('utf8'));
      const record: VertexRequest = { path, headers: req.headers, body, status: 0 };
      requests.push(record);
      const send = (status: number, message: string): void => {
        record.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(googleErrorBody(status, STATUS_NAMES[status] ?? 'UNKNOWN', message)));
      };
      const route = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/anthropic\/models\/([^/:]+):(streamRawPredict|rawPredict)$/.exec(path);
      if (req.method !== 'POST' || !route) return send(404, `The requested URL ${path} was not found on this server.`);
      const [, project, region, model, method] = route.map((part) => decodeURIComponent(part)) as [string, string, string, string, string];
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !opts.google.accepts(token)) {
        return send(
          401,
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
      }
      const resource = `projects/${project}/locations/${region}/publishers/anthropic/models/${model}`;
      if (project !== opts.project)
        return send(403, `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${resource}' (or it may not exist).`);
      if (region !== opts.region) return send(404, `Publisher Model \`${resource}\` is not served in ${region}.`);
      if (body === null || typeof body !== 'object') return send(400, 'Invalid JSON payload received.');
      if (body.anthropic_version !== VERTEX_VERSION) return send(400, `anthropic_version: Input should be '${VERTEX_VERSION}'`);
      const counting = model === 'count-tokens';
      if (!counting && 'model' in body) return send(400, 'model: Extra inputs are not permitted');
      const served = counting ? body.model : model;
      if (!models.includes(served))
        return send(404, `Publisher Model \`projects/${project}/locations/${region}/publishers/anthropic/models/${served}\` not found.`);
      const failure = counting ? undefined : failures.shift();
      if (failure !== undefined) {
        return send(failure, failure === 429 ? 'Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model.' : 'fake failure');
      }
      const rest = { ...body };
      delete rest.anthropic_version;
      forward(res, anthropic.url, counting ? '/v1/messages/count_tokens' : '/v1/messages', { ...rest, model: served }, method === 'streamRawPredict', record);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    anthropic,
    requests,
    fail: (...statuses) => failures.push(...statuses),
    setModels: (ids) => {
      models = ids;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await anthropic.close();
    },
  };
}

/** The Messages API's answer, piped back as it streams (SSE frames arrive one by one, a cut stays a cut). */
function forward(res: ServerResponse, base: string, path: string, body: unknown, stream: boolean, record: VertexRequest): void {
  const payload = JSON.stringify(stream ? { ...(body as object), stream: true } : body);
  const upstream = httpRequest(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-api-key': 'vertex-internal' },
  });
  upstream.on('response', (answer) => {
    record.status = answer.statusCode ?? 0;
    let seen = '';
    answer.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      record.usage = usageOf(seen) ?? record.usage;
    });
    res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
    res.flushHeaders();
    answer.pipe(res);
    answer.on('error', () => res.destroy());
    answer.on('aborted', () => res.destroy());
    answer.on('close', () => {
      if (!answer.complete) res.destroy();
    });
  });
  upstream.on('error', () => res.destroy());
  res.on('close', () => upstream.destroy());
  upstream.end(payload);
}

function parse(raw: string): any {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** The usage a streamed reply reports so far: message_start's, with the latest message_delta's output tokens. */
function usageOf(sse: string): VertexRequest['usage'] {
  let usage: VertexRequest['usage'];
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const event = parse(line.slice(6));
    if (event?.type === 'message_start') usage = { ...event.message.usage };
    if (event?.type === 'message_delta' && usage && event.usage?.output_tokens !== undefined) usage.output_tokens = event.usage.output_tokens;
  }
  return usage;
}
