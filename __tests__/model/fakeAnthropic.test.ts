import Anthropic from '@anthropic-ai/sdk';
import { encodeSse, messageToSseEvents, messageToStreamEvents } from '../../src/demo/sse.js';
import { cutInToolUse, refusal, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../support/fakeAnthropic.js';

type MessageParam = Anthropic.Messages.MessageParam;

const EPHEMERAL = { type: 'ephemeral' } as const;

function params(messages: MessageParam[] = [{ role: 'user', content: 'Fix the failing test.' }]) {
  return { model: 'claude-fake-1', max_tokens: 1024, messages };
}

let fake: FakeAnthropic;

beforeEach(async () => {
  fake = await startFakeAnthropic();
});

afterEach(async () => {
  await fake.close();
});

function client(options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0, ...options });
}

describe('sse.ts', () => {
  const message: Anthropic.Messages.Message = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-fake-1',
    content: [text('Hi'), toolUse('bash', { command: 'ls' }, 'toolu_1')],
    stop_reason: 'tool_use',
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: {
      input_tokens: 10,
      output_tokens: 7,
      cache_creation_input_tokens: 3,
      cache_read_input_tokens: 2,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      speed: null,
    },
  };

  it('encodes one full SSE frame per event', () => {
    expect(encodeSse('ping', { type: 'ping' })).toBe('event: ping\ndata: {"type":"ping"}\n\n');
    for (const frame of messageToSseEvents(message)) {
      expect(frame).toMatch(/^event: [a-z_]+\ndata: \{.*\}\n\n$/);
    }
  });

  it('sends the event sequence of the Messages API', () => {
    const types = messageToSseEvents(message).map((frame) => /^event: (\S+)/.exec(frame)?.[1]);
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('ping');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const events = messageToStreamEvents(message);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message).toMatchObject({
      content: [],
      stop_reason: null,
      usage: { input_tokens: 10, cache_read_input_tokens: 2 },
    });
    const partial = events.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' ? [event.delta.partial_json] : [],
    );
    expect(partial.length).toBeGreaterThan(1);
    expect(partial.join('')).toBe('{"command":"ls"}');
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } });
  });
});

describe('fake Anthropic with the real SDK', () => {
  it('streams text and tool_use that finalMessage() rebuilds exactly', async () => {
    const input = { path: 'src/ä/👩‍💻.ts', edits: [{ old: 'a\n"b"', new: 'c\\d' }], dry: false, n: 3 };
    const longText = 'Let me look at the failing test first. 🙂 '.repeat(8);
    fake.script(reply([text(longText), toolUse('edit_file', input, 'toolu_42')]));
    const stream = client().messages.stream(params());
    const textEvents: string[] = [];
    stream.on('text', (delta) => textEvents.push(delta));
    const final = await stream.finalMessage();

    expect(final.content).toEqual([
      { type: 'text', text: longText, citations: null },
      { type: 'tool_use', id: 'toolu_42', name: 'edit_file', input, caller: { type: 'direct' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage.output_tokens).toBeGreaterThan(1);
    expect(textEvents.length).toBeGreaterThan(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true, model: 'claude-fake-1' });
    expect(fake.requests[0]?.bytes).toBeGreaterThan(0);
  });

  it('streams frame by frame, not in one write', async () => {
    await fake.close();
    fake = await startFakeAnthropic({ frameDelayMs: 40 });
    fake.script(text('one two three four five six seven eight nine ten eleven twelve'));
    const arrivals: number[] = [];
    const stream = client().messages.stream(params());
    stream.on('text', () => arrivals.push(Date.now()));
    await stream.finalMessage();
    expect(arrivals.length).toBeGreaterThan(2);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(60);
  });

  it('rebuilds thinking blocks from thinking and signature deltas', async () => {
    const thinking: Anthropic.Messages.ThinkingBlock = { type: 'thinking', thinking: 'The test expects a slug. '.repeat(5), signature: 'sig-abc' };
    fake.script(reply([thinking, text('Done.')]));
    const final = await client().messages.stream(params()).finalMessage();
    expect(final.content).toEqual([thinking, { type: 'text', text: 'Done.', citations: null }]);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('answers non-streaming create with the same message as JSON', async () => {
    fake.script(reply([text('Plain answer.')], { stop_reason: 'max_tokens', usage: { output_tokens: 99 } }));
    const message = await client().messages.create(params());
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-fake-1',
      content: [{ type: 'text', text: 'Plain answer.' }],
      stop_reason: 'max_tokens',
      usage: { output_tokens: 99 },
    });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(fake.requests[0]?.body.stream).toBeUndefined();
  });

  it('serves dynamic replies and a default when the script is empty', async () => {
    fake.script((request) => text(`You said: ${request.body.messages[0].content}`));
    fake.setDefault(() => toolUse('bash', { command: 'true' }));
    const sdk = client();
    const first = await sdk.messages.create(params());
    expect(first.content[0]).toMatchObject({ text: 'You said: Fix the failing test.' });
    for (let turn = 0; turn < 3; turn += 1) {
      const next = await sdk.messages.stream(params()).finalMessage();
      expect(next.stop_reason).toBe('tool_use');
    }
    expect(fake.pending()).toBe(0);
    expect(fake.requests).toHaveLength(4);
  });

  it('answers 500 with a clear error when nothing is scripted', async () => {
    const error = await client()
      .messages.create(params())
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(String((error as Error).message)).toContain('fake: no scripted reply');
  });

  it('lets the SDK retry a 529, honouring retry-after', async () => {
    fake.script({ status: 529, headers: { 'retry-after': '1' } }, text('Back again.'));
    const final = await client({ maxRetries: 2 }).messages.stream(params()).finalMessage();
    expect(final.content[0]).toMatchObject({ text: 'Back again.' });
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    // The SDK's own backoff would be about 0.5 s; one second proves it read the header.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('surfaces 529 and 429 as typed errors once retries run out', async () => {
    fake.script({ status: 529 }, { status: 429, headers: { 'retry-after': '0' } });
    await expect(client().messages.stream(params()).finalMessage()).rejects.toBeInstanceOf(Anthropic.OverloadedError);
    await expect(client().messages.create(params())).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    expect(fake.requests).toHaveLength(2);
  });

  describe('a stream cut mid-message', () => {
    const cutReply = reply([text('Reading the file now, then I will edit it.'), toolUse('read_file', { path: 'a.ts' })]);

    it('fails finalMessage() with "terminated", and the SDK does not retry it', async () => {
      fake.script({ cutAfterEvents: 4, then: cutReply });
      const stream = client({ maxRetries: 3 }).messages.stream(params());
      const seen: string[] = [];
      stream.on('text', (delta) => seen.push(delta));
      const error = await stream.finalMessage().catch((caught: unknown) => caught);
      // A plain AnthropicError (not APIConnectionError): message "terminated", cause undici's
      // TypeError (SocketError UND_ERR_SOCKET). Under jest's VM realm the SDK's `instanceof Error`
      // fails on undici's TypeError, so the message reads "TypeError: terminated" here.
      expect(error).toBeInstanceOf(Anthropic.AnthropicError);
      expect(error).not.toBeInstanceOf(Anthropic.APIError);
      expect((error as Error).message).toMatch(/terminated/);
      // Headers had arrived, so the SDK's retry loop is over: one request, partial text seen.
      expect(fake.requests).toHaveLength(1);
      expect(seen.join('')).not.toBe('');
    });

    it('fails finalMessage() too when the stream ends cleanly without message_stop', async () => {
      fake.script({ cutAfterEvents: 4, then: cutReply, graceful: true });
      await expect(client({ maxRetries: 3 }).messages.stream(params()).finalMessage()).rejects.toThrow(
        'stream ended without producing a Message with role=assistant',
      );
      expect(fake.requests).toHaveLength(1);
    });

    it('makes non-streaming create throw a raw fetch error, not retried', async () => {
      fake.script({ cutAfterEvents: 1, then: cutReply });
      const error = await client({ maxRetries: 3 })
        .messages.create(params())
        .catch((caught: unknown) => caught);
      expect(error).not.toBeInstanceOf(Anthropic.AnthropicError);
      expect((error as Error).message).toMatch(/terminated/);
      expect(fake.requests).toHaveLength(1);
    });
  });

  describe('prompt caching', () => {
    const tools: Anthropic.Messages.Tool[] = [
      { name: 'bash', description: 'Run a shell command in the repository.', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
    ];
    const system = 'You are Nightshift, a careful coding agent. '.repeat(20);
    const firstUser: MessageParam = { role: 'user', content: [{ type: 'text', text: 'Fix the failing slugify test. '.repeat(10) }] };
    const assistant: MessageParam = { role: 'assistant', content: [toolUse('bash', { command: 'npm test' }, 'toolu_a')] };
    const toolResult: MessageParam = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: '1 failing' }] };

    const withBreakpoint = (message: MessageParam): MessageParam => {
      const blocks = message.content as Anthropic.Messages.ContentBlockParam[];
      return {
        ...message,
        content: blocks.map((block, index) => (index === blocks.length - 1 ? { ...block, cache_control: EPHEMERAL } : block)),
      } as MessageParam;
    };
    const request = (messages: MessageParam[]) => ({
      ...params(messages),
      tools,
      system: [{ type: 'text' as const, text: system, cache_control: EPHEMERAL }],
    });

    it('reads the prefix an earlier request wrote when the next one extends it', async () => {
      fake.setDefault(text('ok'));
      const sdk = client();
      const first = await sdk.messages.stream(request([withBreakpoint(firstUser)])).finalMessage();
      expect(first.usage.cache_read_input_tokens).toBe(0);
      expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(100);
      expect(first.usage.input_tokens).toBe(0);

      // Breakpoints only on system and the newest message: the old breakpoint's prefix is
      // found by the look-back, and its moved cache_control does not change the hash.
      const secondParams = request([firstUser, assistant, withBreakpoint(toolResult)]);
      const second = await sdk.messages.stream(secondParams).finalMessage();
      expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
      expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
      expect(second.usage.cache_creation_input_tokens).toBeLessThan(50);
      expect(second.usage.input_tokens).toBeLessThan(5);

      const counted = await sdk.messages.countTokens(secondParams);
      const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = second.usage;
      expect(input_tokens + (cache_creation_input_tokens ?? 0) + (cache_read_input_tokens ?? 0)).toBe(counted.input_tokens);
    });

    it('bills everything as input without breakpoints, and after a change early in the prefix', async () => {
      fake.setDefault(text('ok'));
      const sdk = client();
      const plain = await sdk.messages.create({ ...params([firstUser]), tools, system });
      expect(plain.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
      await sdk.messages.create(request([withBreakpoint(firstUser)]));
      const changed = await sdk.messages.create({
        ...request([withBreakpoint(firstUser)]),
        system: [{ type: 'text', text: `${system} It is 03:00.`, cache_control: EPHEMERAL }],
      });
      expect(changed.usage.cache_read_input_tokens).toBe(0);
    });

    it('caches nothing below minCacheTokens', async () => {
      await fake.close();
      fake = await startFakeAnthropic({ minCacheTokens: 100_000 });
      fake.setDefault(text('ok'));
      const sdk = client();
      await sdk.messages.create(request([withBreakpoint(firstUser)]));
      const again = await sdk.messages.create(request([withBreakpoint(firstUser)]));
      expect(again.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    });

    it('rejects more than four breakpoints as the API does', async () => {
      fake.setDefault(text('ok'));
      const many = [
        withBreakpoint(firstUser),
        withBreakpoint(assistant),
        withBreakpoint(toolResult),
        withBreakpoint({ role: 'assistant', content: [text('More.')] }),
        withBreakpoint({ role: 'user', content: [text('Go on.')] }),
      ];
      const error = await client()
        .messages.create(request(many))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      expect((error as Error).message).toContain('A maximum of 4 blocks with cache_control');
    });
  });

  describe('the request rules of the API, enforced by default', () => {
    /** The 400 the SDK throws for `messages`, or undefined when the fake accepted them. */
    async function rejection(messages: MessageParam[], extra: Record<string, unknown> = {}): Promise<string | undefined> {
      fake.setDefault(text('ok'));
      const error = await client()
        .messages.create({ ...params(messages), ...extra })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      if (error === undefined) return undefined;
      expect(error).toBeInstanceOf(Anthropic.BadRequestError);
      const body = (error as InstanceType<typeof Anthropic.BadRequestError>).error as { type: string; error: { type: string; message: string } };
      expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      return body.error.message;
    }
    const use = (id: string): MessageParam => ({ role: 'assistant', content: [toolUse('bash', { command: 'ls' }, id)] });
    const result = (id: string): Anthropic.Messages.ToolResultBlockParam => ({ type: 'tool_result', tool_use_id: id, content: 'a.ts' });

    it('rejects a message with empty content, except a final assistant turn', async () => {
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'Well?' },
        ]),
      ).toBe('messages.1: all messages must have non-empty content except for the optional final assistant message');
      expect(await rejection([{ role: 'user', content: [] }])).toBe(
        'messages.0: all messages must have non-empty content except for the optional final assistant message',
      );
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          { role: 'assistant', content: [] },
        ]),
      ).toBeUndefined();
    });

    it('rejects empty and whitespace-only text blocks, in tool results too', async () => {
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          { role: 'assistant', content: [text(''), text('Done.')] },
          { role: 'user', content: 'Thanks.' },
        ]),
      ).toBe('messages: text content blocks must be non-empty');
      expect(await rejection([{ role: 'user', content: [{ type: 'text', text: ' \n' }] }])).toBe(
        'messages: text content blocks must contain non-whitespace text',
      );
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          use('toolu_1'),
          { role: 'user', content: [{ ...result('toolu_1'), content: [{ type: 'text', text: '' }] }] },
        ]),
      ).toBe('messages: text content blocks must be non-empty');
    });

    it('rejects images the vision guide does not allow: type, base64, bytes of another type, over 5 MB', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
      const image = (media_type: string, data: string): MessageParam => ({
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type, data } } as Anthropic.Messages.ImageBlockParam,
          { type: 'text', text: 'What is this?' },
        ],
      });
      expect(await rejection([image('image/png', png)])).toBeUndefined();
      expect(await rejection([image('image/svg+xml', png)])).toBe(
        "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
      );
      expect(await rejection([image('image/png', 'not base64!')])).toBe('messages.0.content.0.image.source.base64.data: The image data is not valid base64');
      expect(await rejection([image('image/jpeg', png)])).toBe(
        'messages.0.content.0.image.source.base64.data: The image was specified using the image/jpeg media type, but the image appears to be a image/png image',
      );
      const huge = Buffer.concat([Buffer.from(png, 'base64'), Buffer.alloc(4 * 1024 * 1024)]).toString('base64');
      expect(await rejection([image('image/png', huge)])).toBe(
        `messages.0.content.0.image.source.base64: image exceeds 5 MB maximum: ${huge.length} bytes > 5242880 bytes`,
      );
      const inResult = await rejection([
        { role: 'user', content: 'Go.' },
        use('toolu_img'),
        {
          role: 'user',
          content: [{ ...result('toolu_img'), content: [{ type: 'image', source: { type: 'base64', media_type: 'image/gif', data: png } }] }],
        },
      ]);
      expect(inResult).toMatch(/^messages\.2\.content\.0\.content\.0\.image\.source\.base64\.data: .*image\/gif/);
    });

    it('rejects a tool_use whose tool_result does not open the next user message', async () => {
      const lost = await rejection([{ role: 'user', content: 'Go.' }, use('toolu_lost'), { role: 'user', content: 'Well?' }]);
      expect(lost).toBe(
        'messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_lost. Each `tool_use` block must have a corresponding `tool_result` block in the next message.',
      );
      // Text before the results does not count; text after them is allowed.
      expect(
        await rejection([{ role: 'user', content: 'Go.' }, use('toolu_1'), { role: 'user', content: [{ type: 'text', text: 'Here:' }, result('toolu_1')] }]),
      ).toMatch(/^messages\.2: `tool_use` ids were found/);
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          use('toolu_1'),
          { role: 'user', content: [result('toolu_1'), { type: 'text', text: 'Budget left: 3' }] },
        ]),
      ).toBeUndefined();
    });

    it('rejects a tool_result that answers no tool_use of the previous assistant message', async () => {
      const message = await rejection([
        { role: 'user', content: 'Go.' },
        use('toolu_1'),
        { role: 'user', content: [result('toolu_1'), result('toolu_other')] },
      ]);
      expect(message).toBe(
        'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_other. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
      );
    });

    it('rejects an Anthropic-defined tool under another name than its own', async () => {
      const tools = (editorName: string) => ({
        tools: [
          { type: 'bash_20250124', name: 'bash' },
          { type: 'text_editor_20250728', name: editorName },
        ],
      });
      expect(await rejection([{ role: 'user', content: 'Go.' }], tools('str_replace_based_edit_tool'))).toBeUndefined();
      expect(await rejection([{ role: 'user', content: 'Go.' }], tools('str_replace_editor'))).toBe(
        "tools.1.text_editor_20250728.name: Input should be 'str_replace_based_edit_tool'",
      );
      expect(await rejection([{ role: 'user', content: 'Go.' }], { tools: [{ type: 'bash_20250124', name: 'shell' }] })).toBe(
        "tools.0.bash_20250124.name: Input should be 'bash'",
      );
    });

    it('lets a test skip only the rule whose fault it is about', async () => {
      await fake.close();
      fake = await startFakeAnthropic({ skipRules: ['empty-content'] });
      expect(
        await rejection([
          { role: 'user', content: 'Go.' },
          { role: 'assistant', content: [] },
          { role: 'user', content: 'Well?' },
        ]),
      ).toBeUndefined();
      expect(await rejection([{ role: 'user', content: 'Go.' }, use('toolu_lost'), { role: 'user', content: 'Well?' }])).toMatch(/toolu_lost/);
    });
  });

  describe('replies the real model sometimes gives', () => {
    it('an empty end_turn: no content at all', async () => {
      fake.script(reply([]));
      const final = await client().messages.stream(params()).finalMessage();
      expect(final).toMatchObject({ content: [], stop_reason: 'end_turn' });
    });

    it('empty text blocks next to real ones', async () => {
      fake.script(reply([text(''), toolUse('bash', { command: 'ls' }, 'toolu_1'), text('\n\n')]));
      const final = await client().messages.stream(params()).finalMessage();
      expect(final.content).toEqual([
        { type: 'text', text: '', citations: null },
        { type: 'tool_use', id: 'toolu_1', name: 'bash', input: { command: 'ls' }, caller: { type: 'direct' } },
        { type: 'text', text: '\n\n', citations: null },
      ]);
    });

    it('a refusal, with its stop details', async () => {
      fake.script(refusal([text('I can')], { category: 'cyber', explanation: 'This looks like exploit development.' }));
      const final = await client().messages.stream(params()).finalMessage();
      expect(final).toMatchObject({
        stop_reason: 'refusal',
        stop_details: { type: 'refusal', category: 'cyber', explanation: 'This looks like exploit development.' },
        content: [{ type: 'text', text: 'I can' }],
      });
    });

    it('max_tokens in the middle of a tool_use: the SDK rebuilds a partial input from the deltas it got', async () => {
      const input = { command: 'create', path: 'notes.md', file_text: 'A long file the model never finished writing.' };
      fake.script(
        cutInToolUse([text('Writing the notes.'), toolUse('editor', input, 'toolu_cut')], 48),
        cutInToolUse([toolUse('editor', input, 'toolu_cut2')], 3),
      );
      const sdk = client();
      const stream = sdk.messages.stream(params());
      const deltas: string[] = [];
      stream.on('inputJson', (partial) => deltas.push(partial));
      const cut = await stream.finalMessage();
      expect(cut.stop_reason).toBe('max_tokens');
      expect(deltas.join('')).toBe(JSON.stringify(input).slice(0, 48));
      // The unfinished string is dropped: a plausible input that is not what the model meant.
      expect(cut.content[1]).toEqual({
        type: 'tool_use',
        id: 'toolu_cut',
        name: 'editor',
        input: { command: 'create', path: 'notes.md' },
        caller: { type: 'direct' },
      });
      const nearlyNothing = await sdk.messages.stream(params()).finalMessage();
      expect(nearlyNothing.content[0]).toMatchObject({ type: 'tool_use', id: 'toolu_cut2', input: {} });
    });

    it('max_tokens in the middle of a tool_use, not streamed: an empty input', async () => {
      fake.script(cutInToolUse([toolUse('editor', { command: 'view', path: 'a.ts' }, 'toolu_cut')], 10));
      const message = await client().messages.create(params());
      expect(message).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'tool_use', id: 'toolu_cut', input: {} }] });
    });
  });

  describe('slow and hanging models', () => {
    it('delays the headers of a reply', async () => {
      fake.script({ delayMs: 300, then: text('Finally.') });
      const started = Date.now();
      const final = await client().messages.stream(params()).finalMessage();
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(final.content[0]).toMatchObject({ text: 'Finally.' });
    });

    it('lets the caller abort a delayed reply', async () => {
      fake.script({ delayMs: 5000, then: text('Too late.') });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await expect(client().messages.stream(params(), { signal: controller.signal }).finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('hangs until the caller aborts, and the SDK does not retry an abort', async () => {
      fake.script({ hang: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      await expect(client({ maxRetries: 3 }).messages.create(params(), { signal: controller.signal })).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
      expect(fake.requests).toHaveLength(1);
    });

    it('hangs into the SDK timeout, which it retries', async () => {
      fake.setDefault({ hang: true });
      const error = await client({ maxRetries: 1, timeout: 200 })
        .messages.stream(params())
        .finalMessage()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
      expect(fake.requests).toHaveLength(2);
    });

    it('closes even while a request hangs', async () => {
      fake.script({ hang: true });
      const pending = client()
        .messages.create(params())
        .catch((caught: unknown) => caught);
      await new Promise((resolve) => setTimeout(resolve, 50));
      await fake.close();
      expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
      fake = await startFakeAnthropic();
    });
  });

  it('reset() clears the script and the log in place', async () => {
    const log = fake.requests;
    fake.script(text('a'), text('b'));
    await client().messages.create(params());
    fake.reset();
    expect(log).toHaveLength(0);
    expect(fake.pending()).toBe(0);
  });
});
