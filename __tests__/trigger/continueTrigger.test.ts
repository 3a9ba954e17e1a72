import { parseTrigger } from '../../src/trigger/parseTrigger.js';
import { PHRASE, webhookDefinitions } from './webhookExamples.js';

const INPUTS = { prompt: '', triggerPhrase: PHRASE, labelTrigger: 'nightshift', assigneeTrigger: '', botLogin: 'github-actions[bot]' };

/** GitHub's own example of a comment event that asks (created, or a submitted review), with our body in it. */
function example(event: string, body: string): Record<string, any> {
  const definition = webhookDefinitions().find((candidate) => candidate.name === event)!;
  const asking = event === 'pull_request_review' ? 'submitted' : 'created';
  const payload = structuredClone(definition.examples.find((candidate) => candidate.action === asking)!);
  payload[event === 'pull_request_review' ? 'review' : 'comment'].body = body;
  return payload;
}

describe('the trigger carries continue from the comment that says it (real webhook payloads)', () => {
  it.each(['issue_comment', 'pull_request_review_comment', 'pull_request_review'])('%s', (event) => {
    const command = (body: string) => {
      const decision = parseTrigger({ eventName: event, payload: example(event, body), inputs: INPUTS });
      if (decision.kind !== 'run') throw new Error(`${event} did not run: ${JSON.stringify(decision)}`);
      return { command: decision.command, reply: decision.reply };
    };
    expect(command(`${PHRASE} continue $2`)).toEqual({ command: { amountUsd: 2 }, reply: 'continue $2' });
    expect(command(`${PHRASE} continue`).command).toEqual({});
    expect(command(`${PHRASE} continue $abc`).command).toEqual({
      error: 'continue $abc: "$abc" is not a dollar amount; write the top-up as a dollar amount after continue, like $2 or $0.50',
    });
    expect(command(`${PHRASE} please fix this`).command).toBeUndefined();
  });

  it('is not read from an issue body: only a reply on the thread continues a session', () => {
    const definition = webhookDefinitions().find((candidate) => candidate.name === 'issues')!;
    const payload = structuredClone(definition.examples.find((candidate) => candidate.action === 'opened')!);
    payload.issue.body = `${PHRASE} continue $2`;
    const decision = parseTrigger({ eventName: 'issues', payload, inputs: INPUTS });
    expect(decision.kind).toBe('run');
    expect(decision.kind === 'run' && decision.command).toBeUndefined();
  });
});
