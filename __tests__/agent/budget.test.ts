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
