import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { reply, text, toolUse } from '../support/fakeAnthropic.js';
import { BUNDLE } from '../support/runBundle.js';
import { REPORT, SLUGIFY_FIX, startScenario } from '../support/scenario.js';

const run = promisify(execFile);

describe('the other doors into the same pipeline', () => {
  it('npm run demo replays the recorded session with no key and no network, and names what it wrote', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
    const { stdout } = await run(process.execPath, [BUNDLE, '--demo'], { env });

    expect(stdout).toMatch(/^REPLAY — this demo replays a recorded Claude session/);
    expect(stdout).toContain('step 6/60');
    expect(stdout).toContain('Status: completed — the agent finished; verification: passed');
    const branch = /--- The branch (\S+) in the demo's remote (\S+) /.exec(stdout);
    expect(branch).not.toBeNull();
    const { stdout: pushed } = await run('git', ['--git-dir', branch![2]!, 'show', `refs/heads/${branch![1]}:src/slugify.js`]);
    expect(pushed).toContain(".replace(/^-+|-+$/g, '')");
    const prPath = /Pull request title and body written to: (\S+)/.exec(stdout)![1]!;
    expect(await readFile(prPath, 'utf8')).toContain('| `node --test` | ✅ passed |');
    const summaryPath = /Job summary written to: (\S+)/.exec(stdout)![1]!;
    expect(await readFile(summaryPath, 'utf8')).toContain('Ready for review: every check passed.');
  });

  it('the local entry runs a task in the current checkout and keeps the work on a local branch', async () => {
    const scenario = await startScenario();
    try {
      scenario.model.script(reply([toolUse('str_replace_based_edit_tool', SLUGIFY_FIX)]), reply([text(REPORT)]));
      const env = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        ANTHROPIC_API_KEY: 'sk-ant-local-0123456789',
        ANTHROPIC_BASE_URL: scenario.model.url,
      };
      const { stdout } = await run(process.execPath, [BUNDLE, '--task', 'Fix slugify', '--verify', 'node --test', '--max-steps', '5'], {
        cwd: scenario.repo.dir,
        env,
      });

      expect(stdout).toContain('step 1/5');
      expect(stdout).toContain('Nightshift completed: the agent finished');
      const branch = (await scenario.repo.git(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
      expect(branch).toMatch(/^nightshift\/fix-slugify-local-/);
      expect(await scenario.repo.git(['show', 'HEAD:src/slugify.js'])).toContain(".replace(/^-+|-+$/g, '')");
      expect(await scenario.repo.listBranches()).toEqual(['main']);
    } finally {
      await scenario.close();
    }
  });

  it('the local entry explains its flags when the task is missing', async () => {
    const failure = await run(process.execPath, [BUNDLE, '--max-steps', '3']).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('Usage: nightshift --task "what to do" [options]');
  });
});
