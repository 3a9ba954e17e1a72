/**
 * Nightshift runs on Linux and macOS runners. Its commands run in POSIX process
 * groups under bash, which Windows runners do not offer in the same way, so a
 * Windows job stops before any model call with one line saying what to change.
 * `RUNNER_OS` is what the runner says; `platform` covers a run outside Actions.
 */
export function unsupportedRunner(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.RUNNER_OS === 'Windows' || platform === 'win32') {
    return 'Nightshift runs on Linux and macOS runners, and this job runs on Windows: use `runs-on: ubuntu-latest` (or a macOS runner) for the Nightshift job';
  }
  return undefined;
}
