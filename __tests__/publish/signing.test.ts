import { ciNote, commitSigner } from '../../src/publish/signing.js';

describe('ciNote', () => {
  it("is said for the workflow's token (and any installation token given as github_token)", () => {
    const note = ciNote({ token: 'ghs_workflow0123456789', usesApp: false });
    expect(note).toContain('CI will not start on this pull request');
    expect(note).toContain('GITHUB_TOKEN');
    expect(note).toContain('`app_id` and `app_private_key`');
    expect(note).toContain('close and reopen the pull request');
  });

  it('is not said when an app pushed, or a personal access token did', () => {
    expect(ciNote({ token: 'ghs_workflow0123456789', usesApp: true })).toBeUndefined();
    expect(ciNote({ token: 'ghp_classic0123456789', usesApp: false })).toBeUndefined();
    expect(ciNote({ token: 'github_pat_fine0123456789', usesApp: false })).toBeUndefined();
  });
});

describe('commitSigner', () => {
  it('never signs a local run or with sign_commits false, and asks GitHub nothing', async () => {
    // No client at all: a request would throw.
    expect(await commitSigner({ mode: 'true', branch: 'b', push: false })).toEqual({ notes: [] });
    expect(await commitSigner({ mode: 'false', branch: 'b', push: true })).toEqual({ notes: [] });
  });

  it('says so when sign_commits is true but there is no GitHub API to commit through', async () => {
    expect(await commitSigner({ mode: 'true', branch: 'b', push: true })).toEqual({
      notes: ['sign_commits is true, but there is no GitHub API to commit through, so the work was pushed with git'],
    });
  });
});
