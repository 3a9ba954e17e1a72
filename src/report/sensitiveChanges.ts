import type { FileChange } from '../records/fileChange.js';

/**
 * Paths a reviewer must look at twice when an agent touched them: a change to
 * tests, test configuration or CI can make checks pass without fixing anything.
 */
const RULES: Array<{ kind: SensitiveKind; pattern: RegExp }> = [
  { kind: 'ci', pattern: /^\.github\/(workflows|actions)\/|^\.gitlab-ci\.yml$|^\.circleci\/|^Jenkinsfile$|^\.ci\/|^azure-pipelines\.yml$|^\.buildkite\// },
  {
    kind: 'test config',
    pattern:
      /(^|\/)(jest|vitest|karma|playwright|cypress|ava|mocha)\.config\.[cm]?[jt]s$|(^|\/)\.mocharc(\.[a-z]+)?$|(^|\/)(pytest\.ini|tox\.ini|conftest\.py|phpunit\.xml(\.dist)?|\.nycrc(\.json)?|codecov\.ya?ml)$/,
  },
  {
    kind: 'tests',
    pattern: /(^|\/)(tests?|__tests__|spec|specs)\/|(^|\/)[^/]+[._-](test|spec)\.[a-z0-9]+$|(^|\/)test_[^/]+\.py$|_test\.go$/,
  },
];

export type SensitiveKind = 'tests' | 'test config' | 'ci';

export interface SensitiveChange {
  path: string;
  kind: SensitiveKind;
  deleted: boolean;
}

export function sensitiveChanges(files: FileChange[]): SensitiveChange[] {
  return files.flatMap((file) => {
    const rule = RULES.find(({ pattern }) => pattern.test(file.path));
    return rule ? [{ path: file.path, kind: rule.kind, deleted: file.status === 'D' }] : [];
  });
}
