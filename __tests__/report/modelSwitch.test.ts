import { emptyReport, type RunReport } from '../../src/records/report.js';
import { outputsOf } from '../../src/report/outputs.js';
import { renderIssueComment } from '../../src/report/issueComment.js';
import { renderPrBody } from '../../src/report/prBody.js';
import { renderSummary } from '../../src/report/summary.js';
import { closingReferences, mentions, prose } from '../support/githubText.js';

const usage = (input: number, output: number) => ({ input, output, cacheWrite: 0, cacheRead: 0 });

/** A run that switched at step 3; the API's words carry a mention and a closing reference, as a gateway's page could. */
const switched = (answered: boolean): RunReport =>
  emptyReport('completed', 'the agent finished', {
    limits: { maxSteps: 60, maxMinutes: 30, maxTokens: 3_000_000, maxCostUsd: 5 },
    model: 'claude-opus-5-1',
    modelSwitch: {
      step: 3,
      from: 'claude-opus-5-1',
      to: 'claude-haiku-5-0',
      error: '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded, ask @alice, fixes #9"}}',
      at: '2026-12-07T23:30:08.123Z',
    },
    spent: {
      steps: 4,
      usage: usage(3_000, 300),
      tokens: 3_300,
      costUsd: 0.0191,
      elapsedMs: 60_000,
      byModel: [
        { model: 'claude-opus-5-1', replies: 2, usage: usage(2_000, 200), costUsd: 0.015 },
        ...(answered ? [{ model: 'claude-haiku-5-0', replies: 2, usage: usage(1_000, 100), costUsd: 0.0041 }] : []),
      ],
    },
  });

describe('a switch to fallback_model, as people see it', () => {
  it('says when, after which failure, from which model to which, in the summary and the PR body alike', () => {
    const when =
      '### Model\n\nSwitched from `claude-opus-5-1` to `claude-haiku-5-0` (`fallback_model`) at step 3, 2026-12-07 23:30:08 UTC, after `claude-opus-5-1` failed with `529 {"type":"error","error":{"type":"overloaded_error"';
    const after = '"}}`. The request of step 3 was sent again to `claude-haiku-5-0` from the same conversation, and the run stayed on it.';
    for (const text of [renderSummary(switched(true)), renderPrBody(switched(true))]) {
      expect(text).toContain(when);
      expect(text).toContain(after);
      expect(text).toContain('| dollars | $0.0191 (`claude-opus-5-1` $0.0150 + `claude-haiku-5-0` $0.0041) | $5.00 |');
      expect(text).toContain(
        "Replies by model, each priced at its own model's rate: `claude-opus-5-1` 2 (2,200 tokens, $0.0150), `claude-haiku-5-0` 2 (1,100 tokens, $0.0041).",
      );
      // The API's words are shown inert (in code): nobody is notified, no issue is closed by them.
      expect(mentions(prose(text))).toEqual([]);
      expect(closingReferences(text)).toEqual([]);
    }
  });

  it('does not claim the fallback answered when it did not, and gives no per-model line for one model', () => {
    const summary = renderSummary(switched(false));
    expect(summary).toContain('`claude-haiku-5-0` gave no reply: the run ended at that step, as the headline says.');
    expect(summary).not.toContain('Replies by model');
    expect(summary).toContain('| dollars | $0.0191 |');
  });

  it('tells the issue in one line that another model went on with the work, and says nothing of models when there was no switch', () => {
    expect(renderIssueComment(switched(true))).toContain(
      '- `claude-opus-5-1` was unavailable at step 3, so the run went on with `fallback_model` `claude-haiku-5-0` (details under *Model* in the job summary).',
    );
    expect(renderIssueComment({ ...switched(true), modelSwitch: undefined })).not.toContain('fallback_model');
  });

  it('names the model the run ended on in the outputs', () => {
    expect(outputsOf(switched(true)).model).toBe('claude-haiku-5-0');
    expect(outputsOf({ ...switched(true), modelSwitch: undefined }).model).toBe('claude-opus-5-1');
    expect(outputsOf(emptyReport('skipped', 'not asked')).model).toBe('');
  });
});
