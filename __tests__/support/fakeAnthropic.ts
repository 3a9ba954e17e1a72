import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';
import { encodeSse, messageToSseEvents, messageToStreamEvents } from '../../src/demo/sse.js';

/**
 * A fake Anthropic Messages API on loopback, for driving the real SDK in tests.
 *
 * Replies come from a script consumed in order (then from a default), so a test
 * states exactly what "the model" says and which faults the network shows.
 *
 * Usage model (unless a reply states its own usage):
 * - The prompt is a list of blocks in the API's cache order: each tool, each
 *   system block, then each content block of each message (string content counts
 *   as one text block). A block's size is the length of its JSON without
 *   `cache_control`; tokens of a prefix = ceil(chars / 4).
 * - Breakpoints are the blocks carrying `cache_control` (anywhere inside them),
 *   plus the last block when the request has a top-level `cache_control`.
 * - The cache (per fake, per model) maps a hash of a prefix's blocks, ignoring
 *   `cache_control`, to its tokens. A request reads the longest cached prefix
 *   that ends at one of its breakpoints or up to 20 blocks before one (the API's
 *   look-back), writes every breakpoint prefix of at least `minCacheTokens`, and
 *   bills: cache_read = the read prefix, cache_creation = from there to the last
 *   breakpoint, input = the rest after it.
 * - output_tokens = ceil(chars of the reply's content JSON / 4), at least 1.
 * The cache is written when a reply starts to be served, never by faults.
 */

type Message = Anthropic.Messages.Message;
type ContentBlock = Anthropic.Messages.ContentBlock;
type Usage = Anthropic.Messages.Usage;

/** A reply as a test writes it: content plus whatever it cares to pin down. */
export interface MessageLike {
  /** Only ever 'message': a recorded Message can be scripted as it is. */
  type?: 'message';
  content: ContentBlock[];
  /** Defaults to `tool_use` when any block is a tool_use, else `end_turn`. */
  stop_reason?: Anthropic.Messages.StopReason | null;
  stop_sequence?: string | null;
  /** Why a `refusal` happened, as the API reports it. */
  stop_details?: Anthropic.Messages.RefusalStopDetails | null;
  /**
   * The reply was cut at max_tokens inside its last block, a tool_use: only the
   * first `chars` characters of that block's input JSON are streamed (as
   * `input_json_delta`s), so the SDK rebuilds a partial or empty input, as it
   * does from the real API. `stop_reason` defaults to `max_tokens`. A
   * non-streaming request gets `input: {}` for that block.
   */
  cutToolInput?: { chars: number };
  /** Merged over the modelled usage, so `{output_tokens: 5}` pins only that. */
  usage?: Partial<Usage>;
  id?: string;
  model?: string;
}

/** An HTTP error, e.g. `{status: 529, headers: {'retry-after': '1'}}`; body defaults to the API's error JSON. */
export interface StatusFault {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A slow model: nothing, not even headers, for `delayMs`, then `then`. */
export interface DelayFault {
  delayMs: number;
  then: ScriptItem;
}

/**
 * A broken connection: the reply in `then` (a default text if absent) is sent
 * until `cutAfterEvents` SSE frames (the ping counts), then the socket is
 * destroyed. Non-streaming requests get half the JSON body. With `graceful`
 * the response is ended cleanly instead, as a proxy that drops the tail would.
 */
export interface CutFault {
  cutAfterEvents: number;
  then?: ScriptItem;
  graceful?: boolean;
}

/** Headers never come; the request ends only when the client gives up (or the fake closes). */
export interface HangFault {
  hang: true;
}

export type ReplyFn = (request: RecordedRequest) => ScriptItem | Promise<ScriptItem>;

/** A single content block is accepted as a one-block reply: `fake.script(text('hi'))`. */
export type ScriptItem = MessageLike | ContentBlock | StatusFault | DelayFault | CutFault | HangFault | ReplyFn;

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/messages`. */
  path: string;
  /** The parsed JSON body (null when it did not parse). */
  body: any;
  headers: IncomingHttpHeaders;
  /** `Date.now()` when the body had arrived. */
  receivedAt: number;
  bytes: number;
  /** The usage the fake billed, when it answered with a message (not a fault): what a test prices a reply by. */
  usage?: Usage;
}

export interface FakeAnthropicOptions {
  /** Smallest prefix that is cached, in tokens (the API's is 1024+ depending on model). Default 0. */
  minCacheTokens?: number;
  /** Pause between SSE frames so the client really receives them one by one. Default 1 ms. */
  frameDelayMs?: number;
  /**
   * Rules not to enforce. Every rule in `REQUEST_RULES` is enforced by default,
   * with the API's 400 and wording; a test turns one off only when the fault
   * it breaks is what the test is about.
   */
  skipRules?: RequestRule[];
}

/**
 * What the Messages API rejects with a 400 `invalid_request_error`:
 * - `required-fields`: `model`, `max_tokens` (not for count_tokens), `messages`.
 * - `empty-content`: a message with empty content, except a final assistant turn.
 * - `empty-text`: a text block that is empty or only whitespace (in messages and tool results).
 * - `tool-pairing`: a `tool_use` not answered by a `tool_result` at the start of the
 *   next user message, or a `tool_result` whose id no `tool_use` of the previous
 *   assistant message has.
 * - `cache-breakpoints`: more than 4 blocks with `cache_control`.
 * - `tool-names`: an Anthropic-defined tool type with another name than its own.
 * - `images`: an `image` block (in a message or a tool result) whose base64 source has a
 *   media type other than JPEG, PNG, GIF or WebP, data that is not base64, bytes that are
 *   not the declared type, or more than 5 MB of base64 (the vision guide's limits).
 */
export const REQUEST_RULES = ['required-fields', 'empty-content', 'empty-text', 'tool-pairing', 'cache-breakpoints', 'tool-names', 'images'] as const;
export type RequestRule = (typeof REQUEST_RULES)[number];

export interface FakeAnthropic {
  /** Base URL for the SDK's `baseURL` or `ANTHROPIC_BASE_URL`. */
  url: string;
  /** Every HTTP request, faulted ones included, in arrival order. */
  requests: RecordedRequest[];
  /** Queues replies for the next `POST /v1/messages` requests, in order. */
  script(...items: ScriptItem[]): void;
  /** The reply when the script is empty (e.g. a model that never stops). */
  setDefault(item: ScriptItem | undefined): void;
  /** Scripted replies not yet consumed. */
  pending(): number;
  /** Clears script, default and request log; keeps the cache. */
  reset(): void;
  /**
   * Only these keys authenticate from now on (by default any non-empty key does); others get
   * the API's 401 `authentication_error` on every route, as a revoked or mistyped key does.
   */
  acceptOnly(keys: string[]): void;
  /** The models `GET /v1/models` lists and `GET /v1/models/{id}` finds, newest first (default `FAKE_MODELS`). */
  setModels(ids: string[]): void;
  clearCache(): void;
  close(): Promise<void>;
}

let blockCounter = 0;

export function text(value: string): Anthropic.Messages.TextBlock {
  return { type: 'text', text: value, citations: null };
}

export function toolUse(name: string, input: unknown, id?: string): Anthropic.Messages.ToolUseBlock {
  blockCounter += 1;
  return { type: 'tool_use', id: id ?? `toolu_fake_${blockCounter}`, name, input, caller: { type: 'direct' } };
}

/**
 * What a tool said in a `tool_result` a request carries: its content when a
 * string, else its first text block (the loop's notes to the model, such as
 * the budget line, follow in later blocks of the last result).
 */
export function toolOutput(block: { content?: unknown }): string {
  if (typeof block.content === 'string') return block.content;
  const first = Array.isArray(block.content) ? (block.content[0] as { type?: string; text?: string } | undefined) : undefined;
  return first?.type === 'text' ? (first.text ?? '') : '';
}

export function reply(
  blocks: ContentBlock[],
  opts: { stop_reason?: Anthropic.Messages.StopReason; stop_details?: Anthropic.Messages.RefusalStopDetails | null; usage?: Partial<Usage> } = {},
): MessageLike {
  return { content: blocks, ...opts };
}

/** The model declines: `stop_reason: "refusal"`, with whatever it had said so far. */
export function refusal(blocks: ContentBlock[] = [], details: Partial<Anthropic.Messages.RefusalStopDetails> = {}): MessageLike {
  return { content: blocks, stop_reason: 'refusal', stop_details: { type: 'refusal', category: null, explanation: null, ...details } };
}

/**
 * A reply cut at max_tokens in the middle of its last block, a tool_use: the
 * model meant `input`, but only its first `chars` characters of JSON arrive.
 */
export function cutInToolUse(blocks: ContentBlock[], chars: number): MessageLike {
  if (blocks.at(-1)?.type !== 'tool_use') throw new Error('cutInToolUse: the last block must be a tool_use');
  return { content: blocks, stop_reason: 'max_tokens', cutToolInput: { chars } };
}

/**
 * Each model answered from its own list, in order; the last item of a list answers every
 * request after it. For `setDefault`: a model that stays overloaded while another answers.
 * A model without a list gets the API's 404 `not_found_error`.
 */
export function perModel(scripts: Record<string, ScriptItem[]>): ReplyFn {
  const queues = new Map(Object.entries(scripts).map(([model, items]) => [model, [...items]]));
  return (request) => {
    const model = String(request.body?.model);
    const queue = queues.get(model);
    if (!queue || queue.length === 0) return { status: 404, body: errorBody(404, `model: ${model}`) };
    return queue.length > 1 ? queue.shift()! : queue[0]!;
  };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function errorBody(status: number, message: string): unknown {
  return { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } };
}

const CUT_DEFAULT: MessageLike = {
  content: [text('This reply is long enough to arrive in several text deltas, and the fake cuts the connection before it ends.')],
};

/** How far before a breakpoint the API looks for an earlier cached prefix, in blocks. */
const LOOKBACK_BLOCKS = 20;
const MAX_BREAKPOINTS = 4;

/** The models the fake serves unless a test says otherwise: the action's default model among them. */
export const FAKE_MODELS = ['claude-opus-5-1', 'claude-sonnet-5-5', 'claude-haiku-5-0'];

/** A model as the Models API describes it. */
function modelInfo(id: string, index: number) {
  const name = id.replace(/^claude-/, '').split('-');
  const display = `Claude ${name[0]![0]!.toUpperCase()}${name[0]!.slice(1)} ${name.slice(1).join('.')}`.trim();
  return { type: 'model', id, display_name: display, created_at: new Date(Date.UTC(2026, 10, 1) - index * 86_400_000).toISOString() };
}

/**
 * The Models API (`GET /v1/models`, `GET /v1/models/{model_id}`) as documented: a page of
 * `{data, has_more, first_id, last_id}` with `limit` (1–1000, default 20), `after_id` and
 * `before_id`; an unknown id is a 404 `not_found_error`.
 */
function modelsAnswer(path: string, query: URLSearchParams, ids: string[]): [number, unknown] {
  const all = ids.map(modelInfo);
  const one = /^\/v1\/models\/(.+)$/.exec(path);
  if (one) {
    const found = all.find((model) => model.id === decodeURIComponent(one[1]!));
    return found ? [200, found] : [404, errorBody(404, `model: ${decodeURIComponent(one[1]!)}`)];
  }
  const limit = Number(query.get('limit') ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return [400, errorBody(400, 'limit: Input should be less than or equal to 1000')];
  const after = query.get('after_id');
  const before = query.get('before_id');
  let start = after ? all.findIndex((model) => model.id === after) + 1 : 0;
  const end = before ? all.findIndex((model) => model.id === before) : all.length;
  if (before) start = Math.max(start, end - limit);
  const data = all.slice(start, Math.min(end, start + limit));
  return [200, { data, has_more: start + data.length < end, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }];
}

/** The key a request carries: `x-api-key`, or `Authorization: Bearer` (what the SDK sends for `apiKey`). */
function keyOf(headers: IncomingHttpHeaders): string {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  return /^Bearer (\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? '';
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const minCacheTokens = opts.minCacheTokens ?? 0;
  const frameDelayMs = opts.frameDelayMs ?? 1;
  const skipped = new Set<RequestRule>(opts.skipRules ?? []);
  const queue: ScriptItem[] = [];
  let fallback: ScriptItem | undefined;
  const requests: RecordedRequest[] = [];
  const cache = new Map<string, number>();
  let served = 0;
  let acceptedKeys: Set<string> | undefined;
  let models = [...FAKE_MODELS];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://fake').pathname,
        body: parseJson(raw.toString('utf8')),
        headers: req.headers,
        receivedAt: Date.now(),
        bytes: raw.length,
      };
      requests.push(record);
      handle(record, req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, errorBody(500, `fake: handler failed: ${String(error)}`));
        else res.destroy();
      });
    });
  });

  async function handle(record: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The same rule on every route, as the API has: no key, or one it does not know, is a 401.
    const key = keyOf(record.headers);
    if (key === '' || (acceptedKeys && !acceptedKeys.has(key))) {
      sendJson(res, 401, errorBody(401, key === '' ? 'x-api-key header is required' : 'invalid x-api-key'));
      return;
    }
    if (record.method === 'GET' && /^\/v1\/models(\/|$)/.test(record.path)) {
      const [status, body] = modelsAnswer(record.path, new URL(req.url ?? '/', 'http://fake').searchParams, models);
      sendJson(res, status, body);
      return;
    }
    if (record.method !== 'POST' || (record.path !== '/v1/messages' && record.path !== '/v1/messages/count_tokens')) {
      sendJson(res, 404, errorBody(404, `fake: no route for ${record.method} ${record.path}`));
      return;
    }
    const invalid = validateBody(record.body, { countOnly: record.path.endsWith('count_tokens'), skipped });
    if (invalid) {
      sendJson(res, 400, errorBody(400, invalid));
      return;
    }
    if (record.path.endsWith('count_tokens')) {
      sendJson(res, 200, { input_tokens: promptBlocks(record.body).totalTokens });
      return;
    }
    const item = queue.length > 0 ? queue.shift() : fallback;
    if (item === undefined) {
      sendJson(res, 500, errorBody(500, `fake: no scripted reply for request ${requests.length} (script empty, no default)`));
      return;
    }
    await serve(item, record, req, res, undefined);
  }

  async function serve(item: ScriptItem, record: RecordedRequest, req: IncomingMessage, res: ServerResponse, cut: CutFault | undefined): Promise<void> {
    if (typeof item === 'function') return serve(await item(record), record, req, res, cut);
    if ('hang' in item) {
      // Holding the response open is the whole fault; the socket's close releases it.
      return;
    }
    if ('delayMs' in item) {
      const gone = await waitOrClose(res, item.delayMs);
      if (!gone) await serve(item.then, record, req, res, cut);
      return;
    }
    if ('cutAfterEvents' in item) return serve(item.then ?? CUT_DEFAULT, record, req, res, item);
    if (isStatusFault(item)) {
      const body = item.body ?? errorBody(item.status, `fake: scripted ${item.status}`);
      sendRaw(res, item.status, typeof body === 'string' ? body : JSON.stringify(body), {
        'content-type': 'application/json',
        ...item.headers,
      });
      return;
    }
    const message = complete(item, record.body);
    record.usage = message.usage;
    served += 1;
    const partialInput = cutInput(item, message);
    if (record.body?.stream === true) await streamMessage(res, message, cut, partialInput);
    else if (cut) {
      const json = JSON.stringify(message);
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${requests.length}` });
      res.write(json.slice(0, Math.floor(json.length / 2)));
      await pause(frameDelayMs);
      if (cut.graceful) res.end();
      else res.destroy();
    } else sendJson(res, 200, partialInput ? withEmptyInput(message, partialInput.index) : message);
  }

  async function streamMessage(res: ServerResponse, message: Message, cut: CutFault | undefined, partialInput: PartialInput | undefined): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'request-id': `req_fake_${requests.length}`,
    });
    res.flushHeaders();
    const frames = partialInput ? framesWithPartialInput(message, partialInput) : messageToSseEvents(message);
    for (const [index, frame] of frames.entries()) {
      if (cut && index >= cut.cutAfterEvents) break;
      if (res.destroyed) return;
      res.write(frame);
      await pause(frameDelayMs);
    }
    if (res.destroyed) return;
    if (cut && !cut.graceful) res.destroy();
    else res.end();
  }

  /** Fills a test's reply into a complete Message, modelling usage and writing the cache. */
  function complete(item: MessageLike | ContentBlock, body: RequestBody): Message {
    // Every content block has a `type` other than 'message'; a reply has none or 'message'.
    const spec: MessageLike = isBlock(item) ? { content: [item] } : item;
    const usage = modelUsage(body);
    const outputTokens = Math.max(1, Math.ceil(JSON.stringify(spec.content).length / 4));
    const full: Usage = {
      input_tokens: usage.input,
      cache_creation_input_tokens: usage.creation,
      cache_read_input_tokens: usage.read,
      cache_creation: { ephemeral_5m_input_tokens: usage.creation, ephemeral_1h_input_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      inference_geo: null,
      speed: null,
      ...spec.usage,
    };
    return {
      id: spec.id ?? `msg_fake_${served}`,
      type: 'message',
      role: 'assistant',
      model: spec.model ?? (typeof body?.model === 'string' ? body.model : 'claude-fake'),
      content: spec.content,
      stop_reason: spec.stop_reason ?? (spec.cutToolInput ? 'max_tokens' : spec.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn'),
      stop_sequence: spec.stop_sequence ?? null,
      stop_details: spec.stop_details ?? null,
      container: null,
      diagnostics: null,
      usage: full,
    };
  }

  function modelUsage(body: RequestBody): { input: number; creation: number; read: number } {
    const prompt = promptBlocks(body);
    const seed = `model:${String(body?.model)}`;
    const hashes: string[] = [];
    let previous = seed;
    for (const block of prompt.blocks) {
      previous = createHash('sha256').update(previous).update('\0').update(block.key).digest('hex');
      hashes.push(previous);
    }
    const tokensAt = (index: number): number => Math.ceil((prompt.blocks[index]?.cumulativeChars ?? 0) / 4);

    let readEnd = -1;
    for (const breakpoint of prompt.breakpoints) {
      for (let index = breakpoint; index >= Math.max(0, breakpoint - LOOKBACK_BLOCKS) && index > readEnd; index -= 1) {
        const hash = hashes[index];
        if (hash !== undefined && cache.has(hash)) {
          readEnd = index;
          break;
        }
      }
    }
    const read = readEnd >= 0 ? tokensAt(readEnd) : 0;
    const lastBreakpoint = prompt.breakpoints.at(-1);
    let creation = 0;
    if (lastBreakpoint !== undefined && lastBreakpoint > readEnd && tokensAt(lastBreakpoint) >= minCacheTokens) {
      creation = tokensAt(lastBreakpoint) - read;
    }
    for (const breakpoint of prompt.breakpoints) {
      const hash = hashes[breakpoint];
      if (hash !== undefined && tokensAt(breakpoint) >= minCacheTokens) cache.set(hash, tokensAt(breakpoint));
    }
    return { input: prompt.totalTokens - read - creation, creation, read };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...items) => void queue.push(...items),
    setDefault: (item) => {
      fallback = item;
    },
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      fallback = undefined;
    },
    clearCache: () => cache.clear(),
    acceptOnly: (keys) => {
      acceptedKeys = new Set(keys);
    },
    setModels: (ids) => {
      models = [...ids];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and delayed replies hold sockets open; close() would wait for them forever.
        server.closeAllConnections();
      }),
  };

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    sendRaw(res, status, JSON.stringify(body), { 'content-type': 'application/json' });
  }

  function sendRaw(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'request-id': `req_fake_${requests.length}`, ...headers });
    res.end(body);
  }
}

/** Whatever the client sent; validated only as far as the real API would reject it. */
type RequestBody = any;

interface PromptBlock {
  /** The block's identity for the cache: position, role and JSON without cache_control. */
  key: string;
  cumulativeChars: number;
}

/** The prompt as the cache sees it: blocks in tools → system → messages order, and breakpoint indexes. */
export function promptBlocks(body: RequestBody): { blocks: PromptBlock[]; breakpoints: number[]; totalTokens: number } {
  const blocks: PromptBlock[] = [];
  const breakpoints: number[] = [];
  let chars = 0;
  const add = (label: string, value: unknown): void => {
    const json = JSON.stringify(value, (key, inner: unknown) => (key === 'cache_control' ? undefined : inner)) ?? '';
    chars += json.length;
    if (hasCacheControl(value)) breakpoints.push(blocks.length);
    blocks.push({ key: `${label}:${json}`, cumulativeChars: chars });
  };
  const asBlocks = (content: unknown): unknown[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : []);

  const tools: unknown[] = Array.isArray(body?.tools) ? body.tools : [];
  tools.forEach((tool, index) => add(`tool${index}`, tool));
  asBlocks(body?.system).forEach((block, index) => add(`system${index}`, block));
  const messages: unknown[] = Array.isArray(body?.messages) ? body.messages : [];
  messages.forEach((message, index) => {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    asBlocks(content).forEach((block, at) => add(`m${index}.${at}:${String(role)}`, block));
  });
  // Top-level cache_control marks the last block, as the API's automatic caching does.
  if (body?.cache_control && blocks.length > 0 && breakpoints.at(-1) !== blocks.length - 1) {
    breakpoints.push(blocks.length - 1);
  }
  return { blocks, breakpoints, totalTokens: Math.ceil(chars / 4) };
}

function isStatusFault(item: MessageLike | ContentBlock | StatusFault): item is StatusFault {
  return 'status' in item && typeof item.status === 'number' && !('type' in item);
}

function isBlock(item: MessageLike | ContentBlock): item is ContentBlock {
  return 'type' in item && item.type !== 'message';
}

function hasCacheControl(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasCacheControl);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => (key === 'cache_control' && inner != null) || hasCacheControl(inner));
}

function countCacheControl(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, inner) => sum + countCacheControl(inner), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.entries(value).reduce((sum, [key, inner]) => sum + (key === 'cache_control' && inner != null ? 1 : countCacheControl(inner)), 0);
}

/** What the model meant to send for a tool_use cut at max_tokens, and how much of it arrives. */
interface PartialInput {
  index: number;
  json: string;
}

function cutInput(item: MessageLike | ContentBlock, message: Message): PartialInput | undefined {
  if (isBlock(item) || !item.cutToolInput) return undefined;
  const index = message.content.length - 1;
  const block = message.content[index];
  if (block?.type !== 'tool_use') throw new Error('fake: cutToolInput needs a tool_use as the last block');
  return { index, json: JSON.stringify(block.input ?? {}).slice(0, Math.max(0, item.cutToolInput.chars)) };
}

/** The stream of a reply cut inside its last tool_use: that block's deltas carry only the partial JSON. */
function framesWithPartialInput(message: Message, partial: PartialInput): string[] {
  const frames: string[] = [];
  for (const event of messageToStreamEvents(message)) {
    if (event.type === 'content_block_delta' && event.index === partial.index) continue;
    if (event.type === 'content_block_stop' && event.index === partial.index) {
      for (let at = 0; at < partial.json.length; at += 5) {
        const delta = { type: 'input_json_delta' as const, partial_json: partial.json.slice(at, at + 5) };
        frames.push(encodeSse('content_block_delta', { type: 'content_block_delta', index: partial.index, delta }));
      }
    }
    frames.push(encodeSse(event.type, event));
    if (event.type === 'message_start') frames.push(encodeSse('ping', { type: 'ping' }));
  }
  return frames;
}

function withEmptyInput(message: Message, index: number): Message {
  return { ...message, content: message.content.map((block, at) => (at === index && block.type === 'tool_use' ? { ...block, input: {} } : block)) };
}

/** The name each Anthropic-defined tool type must be given. */
const DEFINED_TOOL_NAMES: Record<string, string> = {
  bash_20241022: 'bash',
  bash_20250124: 'bash',
  text_editor_20241022: 'str_replace_editor',
  text_editor_20250124: 'str_replace_editor',
  text_editor_20250429: 'str_replace_based_edit_tool',
  text_editor_20250728: 'str_replace_based_edit_tool',
  computer_20241022: 'computer',
  computer_20250124: 'computer',
  memory_20250818: 'memory',
  web_search_20250305: 'web_search',
  web_fetch_20250910: 'web_fetch',
  code_execution_20250522: 'code_execution',
  code_execution_20250825: 'code_execution',
};

type Block = { type?: unknown; id?: unknown; tool_use_id?: unknown; text?: unknown; content?: unknown };
type MessageParam = { role?: unknown; content?: unknown };

const blocksOf = (content: unknown): Block[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? (content as Block[]) : [];

/**
 * The checks whose failure the real API reports as a 400, with its wording,
 * so the product's bugs show up in tests. The first broken rule is reported.
 */
function validateBody(body: RequestBody, opts: { countOnly: boolean; skipped: ReadonlySet<RequestRule> }): string | undefined {
  if (body === null || typeof body !== 'object') return 'fake: request body is not a JSON object';
  const on = (rule: RequestRule): boolean => !opts.skipped.has(rule);
  if (on('required-fields')) {
    if (typeof body.model !== 'string') return 'model: Field required';
    if (!opts.countOnly && typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
    if (!Array.isArray(body.messages)) return 'messages: Field required';
  }
  const messages: MessageParam[] = Array.isArray(body.messages) ? body.messages : [];
  if (on('tool-names')) {
    const tools: unknown[] = Array.isArray(body.tools) ? body.tools : [];
    for (const [index, tool] of tools.entries()) {
      const { type, name } = (tool ?? {}) as { type?: unknown; name?: unknown };
      const expected = typeof type === 'string' ? DEFINED_TOOL_NAMES[type] : undefined;
      if (expected !== undefined && name !== expected) return `tools.${index}.${String(type)}.name: Input should be '${expected}'`;
    }
  }
  if (on('cache-breakpoints')) {
    const breakpoints = countCacheControl({ tools: body.tools, system: body.system, messages: body.messages });
    if (breakpoints > MAX_BREAKPOINTS) return `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`;
  }
  if (on('images')) {
    const problem = imageProblem(messages);
    if (problem) return problem;
  }
  for (const [index, message] of messages.entries()) {
    const content = blocksOf(message?.content);
    const empty = typeof message?.content === 'string' ? message.content === '' : content.length === 0;
    const isFinalAssistant = index === messages.length - 1 && message?.role === 'assistant';
    if (on('empty-content') && empty && !isFinalAssistant) {
      return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`;
    }
    if (on('empty-text')) {
      const nested = content.flatMap((block) => (block?.type === 'tool_result' && Array.isArray(block.content) ? (block.content as Block[]) : []));
      for (const block of [...content, ...nested]) {
        if (block?.type !== 'text' || typeof block.text !== 'string') continue;
        if (block.text === '') return 'messages: text content blocks must be non-empty';
        if (block.text.trim() === '') return 'messages: text content blocks must contain non-whitespace text';
      }
    }
    if (!on('tool-pairing')) continue;
    const useIds = content.filter((block) => block?.type === 'tool_use').map((block) => String(block.id));
    if (message?.role === 'assistant' && useIds.length > 0 && index + 1 < messages.length) {
      const next = messages[index + 1];
      // The results must open the next user message: text before them does not count.
      const leading = next?.role === 'user' ? blocksOf(next.content) : [];
      const firstOther = leading.findIndex((block) => block?.type !== 'tool_result');
      const answered = new Set((firstOther < 0 ? leading : leading.slice(0, firstOther)).map((block) => String(block.tool_use_id)));
      const missing = useIds.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        return `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`;
      }
    }
    if (message?.role === 'user') {
      const previous = messages[index - 1];
      const known = new Set(
        previous?.role === 'assistant'
          ? blocksOf(previous.content)
              .filter((block) => block?.type === 'tool_use')
              .map((block) => String(block.id))
          : [],
      );
      const at = content.findIndex((block) => block?.type === 'tool_result' && !known.has(String(block.tool_use_id)));
      if (at >= 0) {
        const unknown = content
          .filter((block) => block?.type === 'tool_result' && !known.has(String(block.tool_use_id)))
          .map((block) => String(block.tool_use_id));
        return `messages.${index}.content.${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${unknown.join(', ')}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
  }
  return undefined;
}

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
/** The API's limit is on the base64 text of one image. */
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;

/** The first image block the API would refuse, with its wording. */
function imageProblem(messages: MessageParam[]): string | undefined {
  for (const [index, message] of messages.entries()) {
    for (const [at, block] of blocksOf(message?.content).entries()) {
      const nested = block?.type === 'tool_result' && Array.isArray(block.content) ? (block.content as Block[]) : [];
      for (const [inner, image] of [block, ...nested].entries()) {
        if (image?.type !== 'image') continue;
        const where = `messages.${index}.content.${at}${inner > 0 ? `.content.${inner - 1}` : ''}.image.source`;
        const problem = imageSourceProblem((image as { source?: any }).source, where);
        if (problem) return problem;
      }
    }
  }
  return undefined;
}

function imageSourceProblem(source: any, where: string): string | undefined {
  if (source?.type === 'url' || source?.type === 'file') return undefined;
  if (source?.type !== 'base64')
    return `${where}: Input tag '${String(source?.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'`;
  if (!IMAGE_TYPES.includes(source.media_type)) return `${where}.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
  const data: unknown = source.data;
  if (typeof data !== 'string' || data.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(data))
    return `${where}.base64.data: The image data is not valid base64`;
  if (data.length > MAX_IMAGE_BASE64) return `${where}.base64: image exceeds 5 MB maximum: ${data.length} bytes > ${MAX_IMAGE_BASE64} bytes`;
  const actual = imageTypeOf(Buffer.from(data, 'base64'));
  if (actual !== source.media_type) {
    return `${where}.base64.data: The image was specified using the ${source.media_type} media type, but the image appears to be ${actual ? `a ${actual}` : 'not a valid'} image`;
  }
  return undefined;
}

/** The image's real type from its magic numbers, as the API reads it. */
export function imageTypeOf(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (/^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits `ms`, or less if the client hangs up first; resolves true when it did. */
function waitOrClose(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}
