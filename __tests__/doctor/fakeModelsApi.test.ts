import Anthropic from '@anthropic-ai/sdk';
import { FAKE_MODELS, startFakeAnthropic, text, type FakeAnthropic } from '../support/fakeAnthropic.js';

describe("the fake's Models API, through the real SDK", () => {
  let fake: FakeAnthropic;
  const client = (apiKey = 'sk-ant-ok') => new Anthropic({ apiKey, baseURL: fake.url, maxRetries: 0 });
  beforeEach(async () => {
    fake = await startFakeAnthropic();
  });
  afterEach(() => fake.close());

  it('lists the models a page at a time and finds one by id', async () => {
    fake.setModels(['m-1', 'm-2', 'm-3']);
    const first = await client().models.list({ limit: 2 });
    expect(first.data.map((model) => model.id)).toEqual(['m-1', 'm-2']);
    expect(first.has_more).toBe(true);
    const all: string[] = [];
    for await (const model of client().models.list({ limit: 2 })) all.push(model.id);
    expect(all).toEqual(['m-1', 'm-2', 'm-3']);
    expect(await client().models.retrieve('m-2')).toMatchObject({ type: 'model', id: 'm-2', display_name: expect.any(String) });
    expect((await client().models.list()).data.map((model) => model.id)).toHaveLength(3);
  });

  it('answers 404 not_found_error for an unknown model', async () => {
    await expect(client().models.retrieve('claude-nope')).rejects.toMatchObject({ status: 404, type: 'not_found_error' });
    expect(FAKE_MODELS).toContain('claude-sonnet-5-5');
  });

  it('refuses a key it does not accept with 401 authentication_error, on the Messages API too', async () => {
    fake.acceptOnly(['sk-ant-ok']);
    await expect(client('sk-ant-bad').models.list()).rejects.toMatchObject({ status: 401, type: 'authentication_error' });
    fake.script(text('hi'));
    const messages = { model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    await expect(client('sk-ant-bad').messages.create(messages)).rejects.toMatchObject({ status: 401 });
    expect((await client('sk-ant-ok').messages.create(messages)).content).toEqual([text('hi')]);
  });
});
