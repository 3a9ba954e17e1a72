import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { reply, text } from '../support/fakeAnthropic.js';
import { REPORT, startScenario, type Scenario } from '../support/scenario.js';

interface ActionYaml {
  runs: { steps: Array<{ id?: string; env?: Record<string, string> }> };
}
const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as ActionYaml;

describe('the transcript artifact (end to end)', () => {
  let scenario: Scenario;
  let runnerTemp: string;
  beforeEach(async () => {
    scenario = await startScenario();
    // One folder for every job, so a name two jobs share would show as one file overwritten.
    runnerTemp = await mkdtemp(join(tmpdir(), 'nightshift-runner-temp-'));
  });
  afterEach(async () => {
    await scenario.close();
    await rm(runnerTemp, { recursive: true, force: true });
  });

  it('action.yml hands the matrix entry to the program', () => {
    const env = action.runs.steps.find((step) => step.id === 'run')!.env!;
    expect(env.NIGHTSHIFT_JOB_INDEX).toBe('${{ strategy.job-index }}');
  });

  it('gets a distinct name and file for each matrix entry and attempt of one run, so upload-artifact never meets a name twice', async () => {
    // Two entries of one matrix job, then a re-run of the first: the same GITHUB_RUN_ID throughout.
    const jobs = [
      { task: 'First matrix task', index: '0', attempt: '1' },
      { task: 'Second matrix task', index: '1', attempt: '1' },
      { task: 'First matrix task, re-run', index: '0', attempt: '2' },
    ];
    scenario.model.script(...jobs.map(() => reply([text(REPORT)])));
    const results = [];
    for (const job of jobs) {
      results.push(
        await scenario.run({
          inputs: { prompt: job.task },
          env: { GITHUB_RUN_ID: '4242', GITHUB_JOB: 'work', NIGHTSHIFT_JOB_INDEX: job.index, GITHUB_RUN_ATTEMPT: job.attempt, RUNNER_TEMP: runnerTemp },
        }),
      );
    }

    expect(results.map((result) => result.outputs.status)).toEqual(['completed', 'completed', 'completed']);
    expect(results.map((result) => result.outputs.transcript)).toEqual([
      'nightshift-transcript-4242-work-0-1',
      'nightshift-transcript-4242-work-1-1',
      'nightshift-transcript-4242-work-0-2',
    ]);
    for (const [i, result] of results.entries()) {
      // The artifact is named by `transcript` and holds the file at `transcript_path`.
      expect(dirname(result.outputs.transcript_path!)).toBe(runnerTemp);
      expect(basename(result.outputs.transcript_path!)).toBe(`${result.outputs.transcript}.jsonl`);
      const start = JSON.parse((await readFile(result.outputs.transcript_path!, 'utf8')).split('\n')[0]!);
      expect(start).toMatchObject({ type: 'start', task: jobs[i]!.task });
    }
    expect((await readdir(runnerTemp)).filter((name) => name.endsWith('.jsonl')).sort()).toEqual([
      'nightshift-transcript-4242-work-0-1.jsonl',
      'nightshift-transcript-4242-work-0-2.jsonl',
      'nightshift-transcript-4242-work-1-1.jsonl',
    ]);
  });
});
