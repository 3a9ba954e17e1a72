import type { PriceOverride } from '../config/fields.js';
import { ConfigError } from '../config/readConfig.js';
import type { TokenUsage } from '../records/usage.js';
import { claudeName } from './modelName.js';

/** Dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** The 5-minute cache write costs 1.25× input and a cache read 0.1× input on every current model. */
function price(input: number, output: number): ModelPrice {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * 0.1 };
}

/**
 * Published list prices by model id prefix, most specific first. A model we
 * do not know has no price: the run asks for `model_prices` rather than guess,
 * because the dollar budget is only as good as the price behind it.
 */
const PRICE_TABLE: Array<[prefix: string, price: ModelPrice]> = [
  ['claude-opus-4-5', price(5, 25)],
  ['claude-opus-4-6', price(5, 25)],
  ['claude-opus-4-7', price(5, 25)],
  ['claude-opus-4-8', price(5, 25)],
  ['claude-opus-4', price(15, 75)],
  ['claude-opus-5', price(5, 25)],
  ['claude-sonnet-4', price(3, 15)],
  ['claude-sonnet-5', price(3, 15)],
  ['claude-haiku-4-5', price(1, 5)],
  ['claude-haiku-5', price(1, 5)],
  ['claude-3-7-sonnet', price(3, 15)],
  ['claude-3-5-haiku', price(0.8, 4)],
];

class UnknownPriceError extends Error {
  constructor(readonly model: string) {
    super(
      `model_prices must be set for model ${model}: there is no built-in price for it, ` +
        'so the dollar budget cannot be enforced. Pass JSON like {"input": 3, "output": 15} (dollars per million tokens).',
    );
    this.name = 'UnknownPriceError';
  }
}

export function priceForModel(model: string, override?: PriceOverride): ModelPrice {
  if (override) {
    return {
      input: override.input,
      output: override.output,
      cacheWrite: override.cache_write ?? override.input * 1.25,
      cacheRead: override.cache_read ?? override.input * 0.1,
    };
  }
  // A platform's id is priced by the Claude model it names.
  const name = claudeName(model) ?? model;
  const match = PRICE_TABLE.find(([prefix]) => name.startsWith(prefix));
  if (!match) throw new UnknownPriceError(model);
  return match[1];
}

/**
 * The price of each model a run may call, by id, the run's model first: `model` at
 * `model_prices` or its built-in price, and `fallback_model` at its built-in price. The
 * fallback has no price input of its own, so one without a built-in price is refused before
 * the run starts: a switch to it would leave the dollar budget with nothing to count by.
 */
export function runPrices(opts: { model: string; override?: PriceOverride; fallbackModel?: string }): Map<string, ModelPrice> {
  const prices = new Map([[opts.model, priceForModel(opts.model, opts.override)]]);
  if (opts.fallbackModel === undefined || opts.fallbackModel === opts.model) return prices;
  prices.set(opts.fallbackModel, fallbackPrice({ model: opts.model, fallbackModel: opts.fallbackModel }));
  return prices;
}

/** `fallback_model`'s built-in price, or the ConfigError that refuses it (also read by the doctor, whatever `model`'s price). */
export function fallbackPrice(opts: { model: string; fallbackModel: string }): ModelPrice {
  try {
    return priceForModel(opts.fallbackModel);
  } catch (error) {
    if (!(error instanceof UnknownPriceError)) throw error;
    throw new ConfigError([
      `fallback_model must be a model with a built-in price, got ${opts.fallbackModel}: there is none for it, so the dollar budget ` +
        `could not be enforced after a switch to it (model_prices prices model ${opts.model} only). ` +
        'Choose a Claude model the price table knows (e.g. claude-haiku-5-0), or leave fallback_model empty.',
    ]);
  }
}

export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  return (usage.input * price.input + usage.output * price.output + usage.cacheWrite * price.cacheWrite + usage.cacheRead * price.cacheRead) / 1_000_000;
}
