import { chooseResume } from '../../src/session/planResume.js';
import type { SavedSession } from '../../src/session/savedSession.js';
import { savedSession } from '../../src/session/savedSession.js';
import { continueHint, runLimits, topUpAnswer } from '../../src/session/topUp.js';

const LIMITS = { maxSteps: 60, maxMinutes: 30, maxTokens: 2_000_000, maxCostUsd: 5 };
const exhausted = { exhausted: { budget: 'cost' as const, reason: 'max_cost_usd reached' } };
const paused = { pending: { kind: 'question' as const, toolUseId: 'toolu_1', question: 'Which?' } };

describe('chooseResume: what a reply does with the session saved on the thread', () => {
  const choose = (
    saved: Parameters<typeof chooseResume>[0]['saved'],
    reply: string,
    command?: { amountUsd?: number } | { error: string },
    bare?: 'approve' | 'deny',
  ) => chooseResume({ saved, thread: 7, reply, command, bare });

  it('tops up a session a budget ended on continue, with the amount given', () => {
    expect(choose({ kind: 'loaded', state: exhausted }, 'continue $2', { amountUsd: 2 })).toEqual({ kind: 'top-up', amountUsd: 2 });
    expect(choose({ kind: 'loaded', state: exhausted }, 'continue', {})).toEqual({ kind: 'top-up', amountUsd: undefined });
  });

  it('answers continue with nothing to continue, and never runs it as a task', () => {
    expect(choose({ kind: 'none' }, 'continue', {})).toEqual({
      kind: 'nothing-to-continue',
      reason: 'nothing on #7 to continue (no session there stopped at its budget), so nothing ran',
    });
    expect(choose({ kind: 'unusable', reason: 'the saved session is not valid JSON' }, 'continue', {})).toEqual({
      kind: 'nothing-to-continue',
      reason: 'nothing on #7 to continue (a saved session on #7 could not be used (the saved session is not valid JSON)), so nothing ran',
    });
  });

  it('refuses an amount that is not one before anything else', () => {
    expect(choose({ kind: 'loaded', state: exhausted }, 'continue $abc', { error: 'bad $abc' })).toEqual({ kind: 'bad-command', reason: 'bad $abc' });
    expect(choose({ kind: 'none' }, 'continue 2', { error: 'no dollar sign' })).toEqual({ kind: 'bad-command', reason: 'no dollar sign' });
  });

  it('keeps the pause path as it was: any reply, continue included, answers what the session asked', () => {
    expect(choose({ kind: 'loaded', state: paused }, 'continue', {})).toEqual({ kind: 'answer', decision: undefined });
    expect(choose({ kind: 'loaded', state: paused }, 'approve', undefined, 'approve')).toEqual({ kind: 'answer', decision: 'approve' });
    expect(choose({ kind: 'none' }, 'fix it')).toEqual({ kind: 'fresh' });
  });

  it('starts another request fresh beside a session a budget ended, and keeps that session', () => {
    expect(choose({ kind: 'loaded', state: exhausted }, 'also fix the README')).toEqual({
      kind: 'fresh',
      notice: 'the session saved on #7 stopped at its budget; it is kept for a continue reply, and this run starts fresh',
    });
    expect(choose({ kind: 'loaded', state: exhausted }, 'approve', undefined, 'approve').kind).toBe('nothing-pending');
  });
});

describe('runLimits: the budget of a run', () => {
  it('gives a top-up its amount as the dollar cap, the other limits from the inputs', () => {
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 20, spentBefore: 4, amountUsd: 2 })).toEqual({ ...LIMITS, maxCostUsd: 2 });
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 20, spentBefore: 4, amountUsd: 8 })).toEqual({ ...LIMITS, maxCostUsd: 8 });
  });

  it('keeps max_cost_usd without an amount', () => {
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 20, spentBefore: 4 })).toEqual(LIMITS);
  });

  it('never goes past what max_total_cost_usd leaves', () => {
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 10, spentBefore: 9.5, amountUsd: 2 }).maxCostUsd).toBeCloseTo(0.5);
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 10, spentBefore: 9.5 }).maxCostUsd).toBeCloseTo(0.5);
    expect(runLimits({ limits: LIMITS, maxTotalCostUsd: 10, spentBefore: 12, amountUsd: 2 }).maxCostUsd).toBe(0);
  });
});

describe('the saved state, the hint and the first turn of a top-up', () => {
  const base = {
    version: 1,
    repository: 'octo/demo',
    thread: 7,
    branch: 'nightshift/7-x',
    savedAt: '2026-12-07T00:00:00Z',
    totalCostUsd: 0.4,
    runs: 1,
    task: { title: 't', instruction: 'i' },
    messages: [{ role: 'user', content: 'task' }],
    partialResults: [],
  };

  it('holds either a pending call or the budget that ended it, never both or neither', () => {
    expect(savedSession.safeParse({ ...base, ...exhausted }).success).toBe(true);
    expect(savedSession.safeParse({ ...base, ...paused }).success).toBe(true);
    expect(savedSession.safeParse(base).success).toBe(false);
    expect(savedSession.safeParse({ ...base, ...paused, ...exhausted }).success).toBe(false);
  });

  it('tells the person how to continue and what the session has spent', () => {
    expect(continueHint({ phrase: '@nightshift', totalCostUsd: 0.4, maxTotalCostUsd: 20 })).toBe(
      '**The session stopped at its budget.** Reply `@nightshift continue` to continue it with a fresh budget, or `@nightshift continue $2` to give the next run $2. The session has spent $0.4000 of max_total_cost_usd ($20.00).',
    );
    expect(continueHint({ phrase: '@nightshift', totalCostUsd: 20.5, maxTotalCostUsd: 20 })).toBe(
      '**The session stopped at its budget.** It has spent $20.50, all of max_total_cost_usd ($20.00): continuing it needs a larger max_total_cost_usd.',
    );
  });

  it('answers the stopped turn’s calls and puts the note inside the last result', () => {
    const state = {
      ...base,
      ...exhausted,
      partialResults: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'edited' }],
    } as SavedSession;
    const [result] = topUpAnswer(state, { by: 'alice', amountUsd: 2 }) as Array<{ type: string; tool_use_id: string; content: Array<{ text: string }> }>;
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_9' });
    expect(result!.content.map((block) => block.text)).toEqual([
      'edited',
      'The previous run of this session stopped at its budget (max_cost_usd reached). @alice continued it with a top-up of $2.00: go on with the task where you left off. Your earlier changes are in the workspace.',
    ]);
  });
});
