import { readFileSync } from 'node:fs';
import { EXAMPLE_FILES } from '../../src/demo/exampleRepo.js';
import { startFakeAnthropic, type FakeAnthropic } from './fakeAnthropic.js';
import { startFakeGitHub, type FakeGitHub } from './fakeGitHub.js';
import { createFixtureRepo, type FixtureRepo } from './gitFixture.js';
import { runBundle, type BundleOptions, type BundleRun } from './runBundle.js';

export const OWNER = 'octo';
export const REPO = 'demo';

/** A fixture repository (real git, bare origin), both fake APIs, and a way to run the bundle on them. */
export interface Scenario {
  repo: FixtureRepo;
  model: FakeAnthropic;
  github: FakeGitHub;
  run(opts?: Partial<BundleOptions>): Promise<BundleRun>;
  close(): Promise<void>;
}

export async function startScenario(files: Record<string, string> = EXAMPLE_FILES): Promise<Scenario> {
  const repo = await createFixtureRepo({ files });
  const model = await startFakeAnthropic();
  const github = await startFakeGitHub({ owner: OWNER, repo: REPO, origin: repo.origin });
  // The maintainer the event fixtures name; other people are set per test.
  github.setPermission('alice', 'write');
  return {
    repo,
    model,
    github,
    run: (opts = {}) =>
      runBundle({
        workspace: repo.dir,
        ...opts,
        inputs: {
          anthropic_api_key: 'sk-ant-test-key-0123456789',
          anthropic_base_url: model.url,
          github_token: 'ghs_testtoken0123456789abcdefghijklmnopqr',
          ...opts.inputs,
        },
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: `${OWNER}/${REPO}`, ...opts.env },
      }),
    close: async () => {
      await Promise.all([model.close(), github.close()]);
      await repo.cleanup();
    },
  };
}

/** The fix the example repository needs, as the text editor tool's str_replace. */
export const SLUGIFY_FIX = {
  command: 'str_replace',
  path: 'src/slugify.js',
  old_str: ".replace(/[^a-z0-9]/g, '-');",
  new_str: ".replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');",
};

/** A recorded webhook payload from `__tests__/fixtures/events/`. */
export function eventFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${name}.json`, import.meta.url), 'utf8'));
}

/** The issue the event fixtures are about, as the fake GitHub should hold it. */
export const FIXTURE_ISSUE = { number: 7, title: 'slugify keeps stray dashes', body: 'Slugify is broken.', user: 'alice' };

export const REPORT = '## Summary\nFixed slugify.\n\n## Verification\nRan node --test.\n\n## Risks\nNone known.';

/** An issue labelled `nightshift` by alice, in the shape GitHub sends for `issues.labeled`, about this issue. */
export function labeledIssueEvent(issue: { number: number; title: string; body: string }) {
  return {
    action: 'labeled',
    issue: { ...issue, html_url: `https://github.com/${OWNER}/${REPO}/issues/${issue.number}`, user: { login: 'alice', id: 11 } },
    label: { name: 'nightshift' },
    repository: { name: REPO, full_name: `${OWNER}/${REPO}`, default_branch: 'main', owner: { login: OWNER } },
    sender: { login: 'alice', id: 11 },
  };
}

/** GitHub's example issue comment on the fixture issue, with this body, author and id, written now. */
export function issueCommentEvent(body: string, login = 'alice', id = 900) {
  const event = eventFixture('issue_comment.created.issue');
  return {
    ...event,
    comment: { ...event.comment, id, body, user: { login, id: 11, type: 'User' }, created_at: new Date().toISOString() },
    sender: { login, id: 11, type: 'User' },
  };
}
