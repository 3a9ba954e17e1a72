import { parseTrigger } from '../../src/trigger/parseTrigger.js';
import {
  ASSIGNEE,
  describeOutcome,
  LABEL,
  PHRASE,
  PROMPT,
  startTriggerHarness,
  SUBSCRIBED,
  triggerCases,
  webhookDefinitions,
  type TriggerHarness,
} from './webhookExamples.js';

/**
 * GitHub's own webhook payloads through the trigger layer: every example of
 * every event README's table names must run, skip or refuse as the table
 * says — never an error on a payload GitHub really sends.
 */
const cases = triggerCases();
const inputs = { prompt: PROMPT, triggerPhrase: PHRASE, labelTrigger: LABEL, assigneeTrigger: ASSIGNEE, botLogin: 'github-actions[bot]' };

describe('the real webhook examples', () => {
  it('cover every action of every subscribed event the package has examples for', () => {
    const definitions = webhookDefinitions();
    for (const event of SUBSCRIBED.filter((name) => name !== 'schedule')) {
      const definition = definitions.find((candidate) => candidate.name === event)!;
      const asSent = cases.filter((c) => c.event === event && c.variant === 'as sent');
      expect(asSent.filter((c) => !c.example.includes(' with action '))).toHaveLength(definition.examples.length);
      // workflow_dispatch has no actions: its examples carry none.
      expect(new Set(asSent.map((c) => c.action))).toEqual(new Set(definition.actions.length > 0 ? definition.actions : ['']));
    }
    // And the requests README promises run, from each event that carries one.
    for (const [event, action] of [
      ['issues', 'opened'],
      ['issues', 'labeled'],
      ['issues', 'assigned'],
      ['issue_comment', 'created'],
      ['pull_request_review_comment', 'created'],
      ['pull_request_review', 'submitted'],
    ]) {
      expect(cases.filter((c) => c.event === event && c.action === action && c.expected === 'run').length).toBeGreaterThan(0);
    }
  });

  it.each(cases.map((c) => [`${c.event}.${c.action || '-'} ${c.example} ${c.variant}`, c] as const))('parseTrigger: %s', (_name, c) => {
    const decision = parseTrigger({ eventName: c.event, payload: c.payload, inputs });
    // refused is decided later, by who asked: the payload itself asks for a run.
    if (c.expected === 'run' || c.expected === 'refused') expect(decision).toMatchObject({ kind: 'run' });
    else expect(decision).toEqual({ kind: 'skip', reason: expect.stringMatching(c.expected) });
  });

  describe('through resolveTask, against GitHub over HTTP', () => {
    let harness: TriggerHarness;
    beforeAll(async () => {
      harness = await startTriggerHarness();
    });
    afterAll(() => harness.close());

    it.each(cases.map((c) => [`${c.event}.${c.action || '-'} ${c.example} ${c.variant}`, c] as const))('%s', async (_name, c) => {
      const { outcome, defaultBranch } = await harness.resolve(c);
      expect(defaultBranch).toBe(c.payload.repository.default_branch);
      if (c.expected === 'run') {
        expect(describeOutcome(outcome)).toMatch(/^run \(/);
        const number = (c.payload.issue ?? c.payload.pull_request)?.number;
        if (number !== undefined) expect(outcome).toMatchObject({ detail: expect.stringContaining(`#${number}, asked by @Codertocat`) });
      } else if (c.expected === 'refused') {
        expect(outcome).toEqual({
          kind: 'refused',
          reason: 'refused: @octo-reader has read permission on Codertocat/Hello-World; write, maintain or admin is needed (or add them to allowed_users)',
        });
      } else {
        expect(outcome).toEqual({ kind: 'skipped', reason: expect.stringMatching(c.expected) });
      }
    });
  });
});
