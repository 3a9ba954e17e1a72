import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getExecOutput } from '@actions/exec';
import { run } from '../main.js';
import { EXAMPLE_FILES, EXAMPLE_TASK, EXAMPLE_VERIFY } from './exampleRepo.js';
import { DEMO_RECORDING } from './recording.js';
import { startReplayServer } from './replayServer.js';

/**
 * `npm run demo`: a recorded session replayed through the real pipeline on a
 * fresh copy of a small example repository. No API key, no network: the
 * model's replies come from a loopback server; the tools and checks run for real.
 */
export async function runDemo(opts: { cancel: AbortSignal }): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'nightshift-demo-'));
  const workspace = join(root, 'textkit');
  const origin = join(root, 'origin.git');
  const summaryPath = join(root, 'summary.md');
  say(`REPLAY — this demo replays a recorded Claude session (${DEMO_RECORDING.length} model replies) through the real pipeline.`);
  say('No API key and no network are used; every tool call and check runs for real on the example repository.');
  say(`Example repository: ${workspace}\n`);

  await createExampleCheckout(workspace, origin);
  await writeFile(summaryPath, '');
  const server = await startReplayServer(DEMO_RECORDING);
  // The demo's own environment: the caller's, without anything that would steer the run elsewhere.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_') && name !== 'GITHUB_OUTPUT' && name !== 'GITHUB_EVENT_PATH'),
  );
  Object.assign(env, { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_STEP_SUMMARY: summaryPath, RUNNER_TEMP: root });
  try {
    const report = await run({
      env,
      cancel: opts.cancel,
      overrides: {
        prompt: EXAMPLE_TASK,
        verify: EXAMPLE_VERIFY,
        model: 'claude-sonnet-5-5',
        anthropic_api_key: 'replay-needs-no-key',
        anthropic_base_url: server.url,
      },
    });
    const branch = report.publication.branch;
    if (branch) {
      const diff = await git(origin, ['diff', '--stat', '--patch', `main...${branch}`]);
      say(`\n--- The branch ${branch} in the demo's remote ${origin} (diff against main) ---\n${diff.trim()}`);
    }
    say(`\nStatus: ${report.status} — ${report.reason}; verification: ${report.verification.verdict}`);
    say(`Pull request title and body written to: ${join(root, 'nightshift-pull-request.md')}`);
    say(`Job summary written to: ${summaryPath}`);
    say(`Transcript written to: ${report.transcriptPath}`);
    return report.status === 'completed' ? 0 : 1;
  } finally {
    await server.close();
  }
}

/** The example as actions/checkout leaves a repository: a clone of a remote (here a bare repository). */
async function createExampleCheckout(workspace: string, origin: string): Promise<void> {
  for (const [path, content] of Object.entries(EXAMPLE_FILES)) {
    const absolute = join(workspace, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
  await git(workspace, ['init', '--quiet', '--initial-branch=main']);
  await git(workspace, ['add', '--all']);
  await git(workspace, ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', 'commit', '--quiet', '-m', 'textkit 1.0.0']);
  await git(workspace, ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  await git(workspace, ['remote', 'add', 'origin', origin]);
  await git(workspace, ['push', '--quiet', '--set-upstream', 'origin', 'main']);
  await git(workspace, ['remote', 'set-head', 'origin', 'main']);
}

/**
 * The demo's own git, on a repository it just wrote and a remote beside it:
 * `@actions/exec` fits here. The action's git (`src/git/safeGit.ts`) keeps
 * its own spawn, because it needs a time limit and a process-group kill,
 * which `@actions/exec` does not offer.
 */
async function git(cwd: string, args: string[]): Promise<string> {
  // No stdin write (none of these commands reads it; ending an already-closed pipe raced into EPIPE under load),
  // and an environment of its own: no user or system git config, no credential helpers, nothing of the caller's.
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: cwd,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
  };
  const result = await getExecOutput('git', args, { cwd, env, silent: true, ignoreReturnCode: true });
  if (result.exitCode !== 0) throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
