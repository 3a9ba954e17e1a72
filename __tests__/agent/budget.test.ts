import { BudgetMeter, MIN_USEFUL_OUTPUT_TOKENS, reserveFor } from '../../src/agent/budget.js';
import { priceForModel } from '../../src/model/pricing.js';

const sonnet = priceForModel('claude-sonnet-5-5');
const limits = { maxSteps: 3, maxMinutes: 10, maxTokens: 100_000, maxCostUsd: 1 };

function meterAt(clock: { t: number }, overrides: Partial<typeof limits> = {}) {
  return new BudgetMeter({ ...limits, ...overrides }, sonnet, () => clock.t);
}

describe('BudgetMeter', () => {
  it('never plans a request past max_steps', () => {
    const meter = meterAt({ t: 0 });
    for (let step = 0; step < 3; step += 1) {
      expect(meter.planRequest({ promptTokensEstimate: 100, newPromptTokens: 100, maxOutputTokens: 4000 }).ok).toBe(true);
      meter.startStep();
    }
    expect(meter.planRequest({ promptTokensEstimate: 100, newPromptTokens: 100, maxOutputTokens: 4000 })).toEqual({
      ok: false,
      budget: 'steps',
      reason: 'max_steps reached: 3 of 3 model requests made',
    });
  });

  it('stops at the agent deadline, which keeps a reserve before max_minutes', () => {
    const clock = { t: 0 };
    const meter = meterAt(clock);
    expect(meter.agentDeadline).toBe(10 * 60_000 - 60_000);
    clock.t = meter.agentDeadline;
    const plan = meter.planRequest({ promptTokensEstimate: 1, newPromptTokens: 1, maxOutputTokens: 4000 });
    expect(plan).toMatchObject({ ok: false, budget: 'minutes' });
    expect(reserveFor(0.05)).toBe(1_000);
    expect(reserveFor(5)).toBe(30_000);
  });

  it('caps the answer so billed tokens cannot cross max_tokens', () => {
    const meter = meterAt({ t: 0 }, { maxTokens: 10_000 });
    meter.record({ input: 1_000, output: 500, cacheWrite: 2_000, cacheRead: 1_500 });
    const plan = meter.planRequest({ promptTokensEstimate: 4_000, newPromptTokens: 500, maxOutputTokens: 16_000 });
    expect(plan).toEqual({ ok: true, maxOutputTokens: 10_000 - 5_000 - 4_000 });
  });

  it('does not send a request whose input alone would cross max_tokens', () => {
    const meter = meterAt({ t: 0 }, { maxTokens: 10_000 });
    meter.record({ input: 6_000, output: 0, cacheWrite: 0, cacheRead: 0 });
    const plan = meter.planRequest({ promptTokensEstimate: 3_900, newPromptTokens: 100, maxOutputTokens: 16_000 });
    expect(plan.ok).toBe(false);
    expect(plan).toMatchObject({ budget: 'tokens' });
    expect(!plan.ok && plan.reason).toBe('max_tokens reached: 6,000 of 10,000 tokens used; the next request needs about 3,900 input tokens plus its answer');
  });

  it('caps the answer by the dollars left, pricing the cached prefix as it was billed', () => {
    const meter = meterAt({ t: 0 }, { maxCostUsd: 0.05, maxTokens: 10_000_000 });
    // 10,000 cache reads at $0.30/M and 1,000 writes at $3.75/M: $0.003 + $0.00375.
    meter.record({ input: 0, output: 0, cacheWrite: 1_000, cacheRead: 10_000 });
    const plan = meter.planRequest({ promptTokensEstimate: 11_500, newPromptTokens: 500, maxOutputTokens: 16_000 });
    const spent = 0.00675;
    const prompt = 0.00675 + (500 * 3.75) / 1_000_000;
    expect(plan).toEqual({ ok: true, maxOutputTokens: Math.floor(((0.05 - spent - prompt) * 1_000_000) / 15) });
  });

  it('stops for cost when the dollars left buy less than a useful answer', () => {
    const meter = meterAt({ t: 0 }, { maxCostUsd: 0.01, maxTokens: 10_000_000 });
    meter.record({ input: 2_000, output: 100, cacheWrite: 0, cacheRead: 0 });
    const plan = meter.planRequest({ promptTokensEstimate: 2_200, newPromptTokens: 200, maxOutputTokens: 16_000 });
    expect(plan).toMatchObject({ ok: false, budget: 'cost' });
    expect(MIN_USEFUL_OUTPUT_TOKENS).toBe(256);
  });

  it('tells the model what is left in one line', () => {
    const clock = { t: 0 };
    const meter = meterAt(clock);
    meter.startStep();
    meter.record({ input: 1_000, output: 1_000, cacheWrite: 0, cacheRead: 0 });
    clock.t = 60_000;
    expect(meter.describeRemaining()).toBe('Budget left: 2 of 3 steps, 8.0 min, 98,000 tokens, $0.98.');
  });
});

describe('BudgetMeter with a fallback model', () => {
  const opus = priceForModel('claude-opus-5-1');
  const haiku = priceForModel('claude-haiku-5-0');
  const twoModels = (overrides: Partial<typeof limits> = {}) =>
    new BudgetMeter(
      { ...limits, ...overrides },
      new Map([
        ['claude-opus-5-1', opus],
        ['claude-haiku-5-0', haiku],
      ]),
      () => 0,
    );

  it('prices each reply at the rate of the model that answered it, and says what each cost', () => {
    const meter = twoModels();
    meter.record({ input: 1_000, output: 100, cacheWrite: 2_000, cacheRead: 0 }, 'claude-opus-5-1');
    meter.record({ input: 500, output: 200, cacheWrite: 3_000, cacheRead: 1_000 }, 'claude-haiku-5-0');
    // opus $5/$25, cache write $6.25; haiku $1/$5, write $1.25, read $0.10 (per million).
    const opusUsd = (1_000 * 5 + 100 * 25 + 2_000 * 6.25) / 1_000_000;
    const haikuUsd = (500 * 1 + 200 * 5 + 3_000 * 1.25 + 1_000 * 0.1) / 1_000_000;
    expect(meter.spentUsd).toBeCloseTo(opusUsd + haikuUsd, 12);
    const snapshot = meter.snapshot();
    expect(snapshot.costUsd).toBeCloseTo(opusUsd + haikuUsd, 12);
    expect(snapshot.byModel).toEqual([
      { model: 'claude-opus-5-1', replies: 1, usage: { input: 1_000, output: 100, cacheWrite: 2_000, cacheRead: 0 }, costUsd: opusUsd },
      { model: 'claude-haiku-5-0', replies: 1, usage: { input: 500, output: 200, cacheWrite: 3_000, cacheRead: 1_000 }, costUsd: haikuUsd },
    ]);
  });

  it("re-plans the request in flight at the fallback's price, its whole prompt new (caches are per model)", () => {
    const meter = twoModels({ maxCostUsd: 0.1, maxTokens: 10_000_000 });
    meter.record({ input: 0, output: 0, cacheWrite: 1_000, cacheRead: 9_000 }, 'claude-opus-5-1');
    const ask = { promptTokensEstimate: 10_500, newPromptTokens: 500, maxOutputTokens: 16_000, model: 'claude-opus-5-1' };
    const spent = (1_000 * 6.25 + 9_000 * 0.5) / 1_000_000;
    const onOpus = meter.planRequest(ask);
    expect(onOpus).toEqual({ ok: true, maxOutputTokens: Math.floor(((0.1 - spent - (spent + (500 * 6.25) / 1_000_000)) * 1_000_000) / 25) });
    meter.startStep();
    // The same request, re-planned for haiku: every prompt token at haiku's cache-write price, the answer at its output price.
    const onHaiku = meter.replanFor('claude-haiku-5-0');
    expect(onHaiku).toEqual({ ok: true, maxOutputTokens: Math.min(16_000, Math.floor(((0.1 - spent - (10_500 * 1.25) / 1_000_000) * 1_000_000) / 5)) });
  });

  it('refuses the re-sent request when the fallback is dearer and the dollars left do not buy it', () => {
    const meter = new BudgetMeter(
      { ...limits, maxCostUsd: 0.06, maxTokens: 10_000_000 },
      new Map([
        ['claude-haiku-5-0', haiku],
        ['claude-opus-5-1', opus],
      ]),
      () => 0,
    );
    meter.record({ input: 0, output: 0, cacheWrite: 1_000, cacheRead: 9_000 }, 'claude-haiku-5-0');
    expect(meter.planRequest({ promptTokensEstimate: 10_000, newPromptTokens: 0, maxOutputTokens: 16_000 }).ok).toBe(true);
    meter.startStep();
    // Spent: 1,000 writes at $1.25/M and 9,000 reads at $0.10/M; next: 10,000 prompt tokens at opus's $6.25 cache write, $0.0625.
    expect(meter.replanFor('claude-opus-5-1')).toEqual({
      ok: false,
      budget: 'cost',
      reason: 'max_cost_usd reached: $0.0022 of $0.06 spent; the next request (to claude-opus-5-1) would cost about $0.0625 before its answer',
    });
  });

  it("plans for the run's own model when no model is named, and knows no other", () => {
    const meter = twoModels();
    expect(meter.model).toBe('claude-opus-5-1');
    expect(meter.priceOf()).toEqual(opus);
    expect(() => meter.priceOf('claude-sonnet-5-5')).toThrow('no price for model claude-sonnet-5-5: the meter knows claude-opus-5-1, claude-haiku-5-0');
  });
});
