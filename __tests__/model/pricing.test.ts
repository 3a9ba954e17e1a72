import { ConfigError } from '../../src/config/readConfig.js';
import { priceForModel, runPrices } from '../../src/model/pricing.js';

describe('runPrices', () => {
  it("prices the run's model (model_prices first) and its fallback from the table, the run's model first", () => {
    const prices = runPrices({ model: 'my-gateway-model', override: { input: 2, output: 8 }, fallbackModel: 'claude-haiku-5-0' });
    expect([...prices.keys()]).toEqual(['my-gateway-model', 'claude-haiku-5-0']);
    expect(prices.get('my-gateway-model')).toEqual({ input: 2, output: 8, cacheWrite: 2.5, cacheRead: 0.2 });
    expect(prices.get('claude-haiku-5-0')).toEqual(priceForModel('claude-haiku-5-0'));
    expect([...runPrices({ model: 'claude-sonnet-5-5' }).keys()]).toEqual(['claude-sonnet-5-5']);
  });

  it('refuses a fallback_model without a built-in price, naming the input (model_prices does not cover it)', () => {
    const attempt = () => runPrices({ model: 'claude-sonnet-5-5', override: { input: 3, output: 15 }, fallbackModel: 'acme-model-2' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      'Invalid input: fallback_model must be a model with a built-in price, got acme-model-2: there is none for it, so the dollar budget could not be enforced ' +
        'after a switch to it (model_prices prices model claude-sonnet-5-5 only). Choose a Claude model the price table knows (e.g. claude-haiku-5-0), or leave fallback_model empty.',
    );
  });

  it("still asks for model_prices when the run's own model has no price", () => {
    expect(() => runPrices({ model: 'acme-model-2', fallbackModel: 'claude-haiku-5-0' })).toThrow('model_prices must be set for model acme-model-2');
  });
});
