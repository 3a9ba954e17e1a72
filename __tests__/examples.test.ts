import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'timeout-minutes'?: number;
  concurrency?: unknown;
  steps: Step[];
  strategy?: { matrix?: unknown };
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

const dir = new URL('../.github/examples/', import.meta.url);
const declared = new Set(Object.keys((parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as { inputs: object }).inputs));
const examples = readdirSync(dir).filter((name) => name.endsWith('.yml'));

describe('example workflows', () => {
  it('cover every trigger', () => {
    expect(examples.sort()).toEqual(['comment-mention.yml', 'issue-label.yml', 'manual-dispatch.yml', 'nightly-maintenance.yml', 'pr-review-comment.yml']);
  });

  it.each(examples)('%s uses only declared inputs and has permissions, concurrency and timeouts', (name) => {
    const workflow = parse(readFileSync(new URL(name, dir), 'utf8')) as Workflow;
    expect(workflow.permissions).toEqual(expect.objectContaining({ contents: 'write' }));
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const ours = steps.filter((step) => step.uses?.startsWith('nightshift-dev/nightshift@'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      for (const input of Object.keys(step.with ?? {})) expect([name, input, declared.has(input)]).toEqual([name, input, true]);
    }
    for (const job of Object.values(workflow.jobs)) {
      expect(job['timeout-minutes']).toBeGreaterThan(0);
      expect(workflow.concurrency ?? job.concurrency).toBeDefined();
    }
  });
});
