import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Jest's global setup: the end-to-end suites run `dist/`, so the bundle is
 * built from `src/` first and a local `npm test` can never test a stale one.
 * A run that selects no suite that spawns the bundle (`npx jest __tests__/text`)
 * skips the 15-second build. `.ci/run` has just built and compared `dist/`,
 * and says so with NIGHTSHIFT_BUNDLE_CHECKED.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export default function buildBundle(globalConfig: { testPathPattern?: string }): void {
  if (process.env.NIGHTSHIFT_BUNDLE_CHECKED === '1') return;
  if (!runsTheBundle(globalConfig.testPathPattern ?? '')) return;
  const started = Date.now();
  execFileSync('npm', ['run', '--silent', 'bundle'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  process.stderr.write(`\nbuilt dist/ from src/ in ${((Date.now() - started) / 1000).toFixed(1)} s (the end-to-end suites run the bundle)\n`);
}

/** Whether any suite that spawns the bundle is selected: all are when no pattern is given. */
function runsTheBundle(pattern: string): boolean {
  if (pattern === '') return true;
  const suites = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '__tests__'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((path) => /\.e2e\.test\.ts$|secretHandoff\.test\.ts$/.test(path));
  const selected = new RegExp(pattern, 'i');
  return suites.some((path) => selected.test(`${ROOT}${path}`));
}
