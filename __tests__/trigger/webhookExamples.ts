import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config/readConfig.js';
import { createOctokit } from '../../src/github/octokit.js';
import { resolveTask } from '../../src/trigger/resolveTask.js';
import { runContext } from '../../src/trigger/runContext.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

/**
 * GitHub's real webhook payloads (@octokit/webhooks-examples) for every event
 * README's "Ways in" table names, as sent and with the request injected, each
 * with the outcome the table promises. Shared by the test and by the script
 * that prints the table (`npx tsx __tests__/trigger/triggerTable.ts`).
 */

export const PHRASE = '@nightshift';
export const LABEL = 'nightshift';
export const ASSIGNEE = 'nightshift-bot';
export const PROMPT = 'Tidy the README';
/** The examples' people: the maintainer who asks, and someone who may not. */
export const MAINTAINER = 'Codertocat';
export const READER = 'octo-reader';

export type Outcome = { kind: 'run'; detail: string } | { kind: 'skipped' | 'refused'; reason: string } | { kind: 'error'; message: string };

export interface TriggerCase {
  event: string;
  action: string;
  /** Where the payload comes from: `issues[15]` is the 16th example of the package's issues definition. */
  example: string;
  variant: string;
  payload: Record<string, any>;
  /** What README's table says: `run`, `refused`, or the skip reason. */
  expected: 'run' | 'refused' | RegExp;
}

/** The events the trigger layer handles (parseTrigger's switch, README's table). */
export const SUBSCRIBED = ['issues', 'issue_comment', 'pull_request_review_comment', 'pull_request_review', 'workflow_dispatch', 'schedule'] as const;

interface Definition {
  name: string;
  actions: string[];
  examples: Array<Record<string, any>>;
}

export function webhookDefinitions(): Definition[] {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as Definition[];
}

/**
 * The package has no `schedule` example: GitHub's documented payload for it is
 * `schedule` (the cron line), `workflow` and `repository`, as in this fixture.
 */
function scheduleExample(): Record<string, any> {
  const repository = webhookDefinitions().find((definition) => definition.name === 'workflow_dispatch')!.examples[0]!.repository;
  return { schedule: '17 3 * * *', workflow: '.github/workflows/nightly.yml', repository };
}

const clone = <T>(value: T): T => structuredClone(value);
const person = (login: string, from: Record<string, any>) => ({ ...from, login, id: login === READER ? 9_001 : from.id, type: 'User' });

function skipReason(event: string, action: string, number: number): RegExp {
  if (event === 'issues') return new RegExp(`^skipped: issues\\.${action} on #${number} does not ask for the agent$`);
  if (event === 'pull_request_review' && action !== 'submitted') return new RegExp(`^skipped: pull_request_review was ${action}, not submitted$`);
  if (action === 'edited') return new RegExp(`^skipped: ${event} was edited, not created \\(edits of old comments never start a run\\)$`);
  if (action === 'deleted') return new RegExp(`^skipped: ${event} was deleted \\(a deleted comment never starts a run\\)$`);
  return new RegExp(`^skipped: ${event} does not mention ${PHRASE}$`);
}

/**
 * The package's examples of one event, plus one for each action it lists
 * without an example (issues.closed): the first example with that action.
 */
function packageExamples(definition: Definition): Array<{ payload: Record<string, any>; name: string }> {
  const examples = definition.examples.map((payload, index) => ({ payload, name: `${definition.name}[${index}]` }));
  const missing = definition.actions.filter((action) => !definition.examples.some((payload) => payload.action === action));
  return [
    ...examples,
    ...missing.map((action) => ({ payload: { ...clone(definition.examples[0]!), action }, name: `${definition.name}[0] with action ${action}` })),
  ];
}

/** Every example of every subscribed event and action, and its variants. */
export function triggerCases(): TriggerCase[] {
  const cases: TriggerCase[] = [];
  const definitions = webhookDefinitions();
  for (const event of SUBSCRIBED) {
    const examples =
      event === 'schedule'
        ? [{ payload: scheduleExample(), name: 'schedule (documented shape; the package has none)' }]
        : packageExamples(definitions.find((definition) => definition.name === event)!);
    examples.forEach(({ payload, name: example }) => {
      const action: string = payload.action ?? '';
      const add = (variant: string, changed: Record<string, any>, expected: TriggerCase['expected']) =>
        cases.push({ event, action, example, variant, payload: changed, expected });
      if (event === 'workflow_dispatch' || event === 'schedule') {
        add('as sent', clone(payload), 'run');
        return;
      }
      if (event === 'issues') {
        const number: number = payload.issue.number;
        add('as sent', clone(payload), skipReason(event, action, number));
        const asks = (variant: string, change: (copy: Record<string, any>) => void, runs: boolean) => {
          const copy = clone(payload);
          change(copy);
          add(variant, copy, runs ? 'run' : skipReason(event, action, number));
          if (!runs) return;
          const byReader = clone(copy);
          byReader.sender = person(READER, byReader.sender);
          add(`${variant}, by a reader`, byReader, 'refused');
        };
        asks('phrase in the body', (copy) => (copy.issue.body = `${copy.issue.body ?? ''}\n\n${PHRASE} please fix this`), action === 'opened');
        if (payload.label) {
          asks('our label', (copy) => (copy.label = { ...copy.label, name: LABEL }), action === 'labeled');
          asks('our label, other case', (copy) => (copy.label = { ...copy.label, name: 'NightShift' }), action === 'labeled');
        }
        if (payload.assignee) {
          asks('our login as assignee', (copy) => (copy.assignee = person(ASSIGNEE, copy.assignee)), action === 'assigned');
          asks('our login as assignee, other case', (copy) => (copy.assignee = person('NightShift-Bot', copy.assignee)), action === 'assigned');
        }
        return;
      }
      // Comments and reviews: the request is the comment's (or review's) body.
      const key = event === 'pull_request_review' ? 'review' : 'comment';
      const number: number = (payload.issue ?? payload.pull_request).number;
      add('as sent', clone(payload), skipReason(event, action, number));
      const copy = clone(payload);
      copy[key].body = `${PHRASE} please fix this`;
      const runs = action === (event === 'pull_request_review' ? 'submitted' : 'created');
      add('phrase in the body', copy, runs ? 'run' : skipReason(event, action, number));
      if (runs) {
        const byReader = clone(copy);
        byReader[key].user = person(READER, byReader[key].user);
        byReader.sender = person(READER, byReader.sender);
        add('phrase in the body, by a reader', byReader, 'refused');
      }
    });
  }
  return cases;
}

/** The trigger layer end to end, minus the model: payload file → runContext → resolveTask against a fake GitHub. */
export interface TriggerHarness {
  resolve(c: TriggerCase): Promise<{ outcome: Outcome; defaultBranch?: string }>;
  close(): Promise<void>;
}

export async function startTriggerHarness(): Promise<TriggerHarness> {
  // The examples live in Codertocat/Hello-World (and octo-org/octo-repo for dispatch): the run's repository.
  const github: FakeGitHub = await startFakeGitHub({ owner: 'Codertocat', repo: 'Hello-World' });
  github.setPermission(MAINTAINER, 'write');
  github.setPermission(READER, 'read');
  const dir = await mkdtemp(join(tmpdir(), 'nightshift-examples-'));
  const octokit = await createOctokit({ token: 'ghs_test', baseUrl: github.url });
  let count = 0;
  return {
    async resolve(c) {
      const eventPath = join(dir, `event-${count++}.json`);
      await writeFile(eventPath, JSON.stringify(c.payload));
      const env = {
        GITHUB_EVENT_NAME: c.event,
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'Codertocat/Hello-World',
        GITHUB_API_URL: github.url,
        INPUT_ANTHROPIC_API_KEY: 'sk-ant-test',
        INPUT_GITHUB_TOKEN: 'ghs_test',
        INPUT_PROMPT: PROMPT,
        INPUT_LABEL_TRIGGER: LABEL,
        INPUT_ASSIGNEE_TRIGGER: ASSIGNEE,
      };
      const config = readConfig(env);
      const context = runContext(env, dir);
      let outcome: Outcome;
      try {
        const resolution = await resolveTask({ config, context, github: { octokit, owner: 'Codertocat', repo: 'Hello-World' } });
        outcome =
          resolution.kind === 'run'
            ? {
                kind: 'run',
                detail:
                  resolution.task.source.kind === 'prompt'
                    ? 'the prompt'
                    : `${resolution.task.source.kind} #${resolution.task.source.number}, asked by @${resolution.task.requester?.login}`,
              }
            : resolution;
      } catch (error) {
        outcome = { kind: 'error', message: (error as Error).message };
      }
      return { outcome, defaultBranch: context.defaultBranch };
    },
    async close() {
      await github.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'run':
      return `run (${outcome.detail})`;
    case 'skipped':
      return `skipped (${outcome.reason.replace(/^skipped: /, '')})`;
    case 'refused':
      return 'refused';
    case 'error':
      return `ERROR: ${outcome.message}`;
  }
}
