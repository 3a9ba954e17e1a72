import { createOctokit } from '../../src/github/octokit.js';
import { authorize } from '../../src/trigger/authorize.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

describe('authorize, against GitHub over HTTP', () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub({ owner: 'octo', repo: 'demo' });
    for (const [login, permission] of [
      ['ada', 'admin'],
      ['max', 'maintain'],
      ['wes', 'write'],
      ['tri', 'triage'],
      ['rea', 'read'],
    ] as const)
      github.setPermission(login, permission);
  });
  afterAll(() => github.close());

  const check = async (login: string, extra: Partial<Parameters<typeof authorize>[0]> = {}) =>
    authorize({
      octokit: await createOctokit({ token: 'ghs_test', baseUrl: github.url }),
      owner: 'octo',
      repo: 'demo',
      actor: { login, id: 1, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      allowedUsers: [],
      allowedBots: [],
      allowForks: false,
      isFork: false,
      ...extra,
    });

  it.each([
    ['ada', { allowed: true, via: 'admin permission' }],
    ['max', { allowed: true, via: 'maintain permission' }],
    ['wes', { allowed: true, via: 'write permission' }],
    ['tri', { allowed: false, reason: 'refused: @tri has triage permission on octo/demo; write, maintain or admin is needed (or add them to allowed_users)' }],
    ['rea', { allowed: false, reason: 'refused: @rea has read permission on octo/demo; write, maintain or admin is needed (or add them to allowed_users)' }],
    [
      'stranger',
      { allowed: false, reason: 'refused: @stranger has no permission on octo/demo; write, maintain or admin is needed (or add them to allowed_users)' },
    ],
  ])('%s', async (login, expected) => {
    expect(await check(login)).toEqual(expected);
  });

  it('lets allowed_users in, keeps bots out unless allowed, and refuses forks unless allowed', async () => {
    expect(await check('stranger', { allowedUsers: ['Stranger'] })).toEqual({ allowed: true, via: 'allowed_users' });
    expect(await check('dependabot[bot]')).toEqual({
      allowed: false,
      reason: 'refused: @dependabot[bot] is a bot, and bots may only trigger runs when listed in allowed_bots',
    });
    expect(await check('dependabot[bot]', { allowedBots: ['dependabot[bot]'] })).toEqual({ allowed: true, via: 'allowed_bots' });
    expect(await check('dependabot[bot]', { allowedBots: ['Dependabot[bot]'] })).toEqual({ allowed: true, via: 'allowed_bots' });
    expect(await check('Renovate[bot]', { allowedBots: ['renovate[bot]'] })).toEqual({ allowed: true, via: 'allowed_bots' });
    expect(await check('ada', { isFork: true })).toEqual({ allowed: false, reason: 'refused: the pull request comes from a fork, and allow_forks is off' });
    expect(await check('ada', { isFork: true, allowForks: true })).toEqual({ allowed: true, via: 'admin permission' });
  });
});
