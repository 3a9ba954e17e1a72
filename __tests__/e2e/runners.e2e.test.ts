import { unsupportedRunner } from '../../src/runner/supportedRunner.js';
import { reply, text } from '../support/fakeAnthropic.js';
import { REPORT, startScenario, type Scenario } from '../support/scenario.js';

describe('runners we support', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('stops a Windows job before any model call, with one line saying what to change', async () => {
    const result = await scenario.run({ inputs: { prompt: 'Fix slugify' }, env: { RUNNER_OS: 'Windows' } });

    expect(result.exitCode).toBe(1);
    expect(result.outputs.status).toBe('failed');
    const lines = result.stdout.split('\n').filter((line) => line.includes('Nightshift'));
    expect(lines).toEqual([
      expect.stringContaining('Nightshift failed: Nightshift runs on Linux and macOS runners, and this job runs on Windows: use `runs-on: ubuntu-latest`'),
    ]);
    expect(scenario.model.requests).toHaveLength(0);
    expect(scenario.github.requests).toHaveLength(0);
    expect(await scenario.repo.listBranches()).toEqual(['main']);
  });

  it.each(['Linux', 'macOS'])('runs on a %s runner', async (os) => {
    scenario.model.script(reply([text(REPORT)]));
    const result = await scenario.run({ inputs: { prompt: 'Say what slugify does' }, env: { RUNNER_OS: os } });
    expect(result.outputs.status).toBe('completed');
    expect(scenario.model.requests).toHaveLength(1);
  });

  it('judges the platform itself outside Actions', () => {
    expect(unsupportedRunner({}, 'win32')).toMatch(/this job runs on Windows/);
    expect(unsupportedRunner({}, 'darwin')).toBeUndefined();
    expect(unsupportedRunner({}, 'linux')).toBeUndefined();
  });
});
