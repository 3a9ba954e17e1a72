import Anthropic from '@anthropic-ai/sdk';
import { ConfigError } from '../../src/config/readConfig.js';
import { checkFallback, fallbackCause, ModelWithFallback, type SwitchEvent } from '../../src/model/fallback.js';
import type { AnthropicAccess } from '../../src/model/access.js';
import type { Model, ModelReply } from '../../src/model/model.js';

type Request = Anthropic.Messages.MessageStreamParams;

/** The error the SDK throws for an HTTP status, built the way it builds them. */
function apiError(status: number, type: string): InstanceType<typeof Anthropic.APIError> {
  return Anthropic.APIError.generate(status, { type: 'error', error: { type, message: `${type} here` } }, undefined, new Headers());
}

/** An `error` event in a stream after its 200: the SDK gives it no status. */
function streamedError(type: 'overloaded_error'): InstanceType<typeof Anthropic.APIError> {
  return new Anthropic.APIError(undefined, { type: 'error', error: { type, message: 'Overloaded' } }, undefined, new Headers(), type);
}

/** A model that answers from a script (a reply, or an error to throw) and keeps every request it was sent. */
function scripted(id: string, script: Array<Error | 'ok'>): Model & { requests: Request[] } {
  const requests: Request[] = [];
  return {
    id,
    requests,
    async send(request): Promise<ModelReply> {
      requests.push(structuredClone(request));
      const next = script.shift();
      if (next === undefined) throw new Error(`${id}: no reply scripted for request ${requests.length}`);
      if (next instanceof Error) throw next;
      const message = { id: 'msg', type: 'message', role: 'assistant', model: id, content: [], stop_reason: 'end_turn', usage: {} };
      return { model: id, message: message as unknown as Anthropic.Messages.Message, usage: { input: 1, output: 1, cacheRead: 0, cacheWrite: 0 }, ms: 1 };
    },
  };
}

const REQUEST: Request = {
  model: 'whatever the loop named',
  max_tokens: 4000,
  system: [{ type: 'text', text: 'Be careful.' }],
  tools: [{ name: 'bash', input_schema: { type: 'object' } }],
  messages: [{ role: 'user', content: 'Fix it.' }],
};
const live = () => new AbortController().signal;

describe('fallbackCause', () => {
  it('switches on overloaded (529, 503, a streamed overloaded_error) and a missing model (404)', () => {
    expect(fallbackCause(apiError(529, 'overloaded_error'))).toBe('overloaded');
    expect(fallbackCause(apiError(503, 'api_error'))).toBe('overloaded');
    expect(fallbackCause(streamedError('overloaded_error'))).toBe('overloaded');
    expect(fallbackCause(apiError(404, 'not_found_error'))).toBe('not-found');
  });

  it('does not switch on an internal error, a rate limit, a bad request, an abort or a bug of ours', () => {
    expect(fallbackCause(apiError(500, 'api_error'))).toBeUndefined();
    expect(fallbackCause(apiError(429, 'rate_limit_error'))).toBeUndefined();
    expect(fallbackCause(apiError(400, 'invalid_request_error'))).toBeUndefined();
    expect(fallbackCause(apiError(401, 'authentication_error'))).toBeUndefined();
    expect(fallbackCause(new Anthropic.APIUserAbortError())).toBeUndefined();
    expect(fallbackCause(new TypeError('x is undefined'))).toBeUndefined();
  });
});

describe('ModelWithFallback', () => {
  it('re-sends the failed request unchanged but for the model to the fallback, and stays there', async () => {
    const primary = scripted('claude-opus-5-1', ['ok', apiError(529, 'overloaded_error')]);
    const fallback = scripted('claude-haiku-5-0', ['ok', 'ok']);
    const switches: SwitchEvent[] = [];
    const model = new ModelWithFallback({ primary, fallback, onSwitch: (event) => switches.push(event) });

    expect(model.id).toBe('claude-opus-5-1');
    expect((await model.send(REQUEST, live())).model).toBe('claude-opus-5-1');
    expect((await model.send(REQUEST, live())).model).toBe('claude-haiku-5-0');
    expect(model.id).toBe('claude-haiku-5-0');
    expect((await model.send(REQUEST, live())).model).toBe('claude-haiku-5-0');

    expect(primary.requests).toHaveLength(2);
    expect(fallback.requests).toEqual([
      { ...REQUEST, model: 'claude-haiku-5-0' },
      { ...REQUEST, model: 'claude-haiku-5-0' },
    ]);
    expect(primary.requests[1]).toEqual({ ...REQUEST, model: 'claude-opus-5-1' });
    expect(switches).toEqual([{ from: 'claude-opus-5-1', to: 'claude-haiku-5-0', cause: 'overloaded', error: expect.stringContaining('529') }]);
    expect(model.switched).toEqual(switches[0]);
  });

  it('lets the budget re-plan the re-sent request, or refuse it', async () => {
    const admitted = new ModelWithFallback({
      primary: scripted('a', [apiError(404, 'not_found_error')]),
      fallback: scripted('b', ['ok']),
      admit: (request) => ({ ...request, max_tokens: 300 }),
    });
    await admitted.send(REQUEST, live());
    const refusedFallback = scripted('b', ['ok']);
    const refused = new ModelWithFallback({
      primary: scripted('a', [apiError(404, 'not_found_error')]),
      fallback: refusedFallback,
      admit: () => {
        throw new Error('max_cost_usd reached');
      },
    });
    await expect(refused.send(REQUEST, live())).rejects.toThrow('max_cost_usd reached');
    expect(refusedFallback.requests).toHaveLength(0);
  });

  it('says both failures when the fallback fails too', async () => {
    const model = new ModelWithFallback({
      primary: scripted('claude-opus-5-1', [apiError(529, 'overloaded_error')]),
      fallback: scripted('claude-haiku-5-0', [apiError(529, 'overloaded_error')]),
    });
    await expect(model.send(REQUEST, live())).rejects.toThrow(
      /^claude-opus-5-1 failed \(529 .*overloaded_error.*\), and so did the fallback_model claude-haiku-5-0: 529 /,
    );
  });

  it('passes through what another model would not fix, and everything when there is no fallback', async () => {
    const fallback = scripted('b', ['ok']);
    const model = new ModelWithFallback({ primary: scripted('a', [apiError(500, 'api_error')]), fallback });
    await expect(model.send(REQUEST, live())).rejects.toThrow('500');
    expect(model.id).toBe('a');
    expect(fallback.requests).toHaveLength(0);

    const alone = new ModelWithFallback({ primary: scripted('a', [apiError(529, 'overloaded_error')]) });
    await expect(alone.send(REQUEST, live())).rejects.toThrow('529');
    expect(alone.switched).toBeUndefined();
  });

  it('does not switch on a failure that came from the run being stopped', async () => {
    const stop = new AbortController();
    stop.abort();
    const fallback = scripted('b', ['ok']);
    const model = new ModelWithFallback({ primary: scripted('a', [apiError(529, 'overloaded_error')]), fallback });
    await expect(model.send(REQUEST, stop.signal)).rejects.toThrow('529');
    expect(fallback.requests).toHaveLength(0);
  });
});

describe('checkFallback', () => {
  const access: AnthropicAccess = { provider: 'anthropic', apiKey: 'k', gateway: { auth: 'x-api-key', headers: {} }, secrets: [] };
  const problem = (config: { model: string; fallbackModel: string | undefined }) => {
    try {
      checkFallback(config, access);
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
  };

  it('accepts none, or another model taking the same tools', () => {
    expect(problem({ model: 'claude-opus-5-1', fallbackModel: undefined })).toBeUndefined();
    expect(problem({ model: 'claude-opus-5-1', fallbackModel: 'claude-haiku-5-0' })).toBeUndefined();
  });

  it('refuses the same model, and a model whose tools are of another kind', () => {
    expect(problem({ model: 'claude-opus-5-1', fallbackModel: 'claude-opus-5-1' })).toEqual([
      'fallback_model must name another model than model, got claude-opus-5-1 for both (leave fallback_model empty for none)',
    ]);
    expect(problem({ model: 'claude-sonnet-5-5', fallbackModel: 'claude-3-5-haiku-20241022' })?.[0]).toBe(
      'fallback_model must take the same kind of tools as model on provider anthropic, got claude-3-5-haiku-20241022 (plain JSON-schema tools) ' +
        "for model claude-sonnet-5-5 (the Anthropic-defined editor and bash tools): the conversation's tool calls would not match the fallback's tools. Choose a Claude 4 or later model for both.",
    );
  });
});
