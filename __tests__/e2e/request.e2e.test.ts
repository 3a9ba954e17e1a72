import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { imageTypeOf, reply, text, toolOutput, toolUse } from '../support/fakeAnthropic.js';
import { eventFixture, FIXTURE_ISSUE, REPORT, SLUGIFY_FIX, startScenario, type Scenario } from '../support/scenario.js';

const EDITOR = 'str_replace_based_edit_tool';
const TOKEN = 'ghs_testtoken0123456789abcdefghijklmnopqr';
// Small but real images: the fake Messages API checks that the bytes are what the block says.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), Buffer.alloc(64, 7), Buffer.from('ffd9', 'hex')]);

/** A host that is not GitHub's: it records whether anyone came. */
async function startOtherHost(): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): Promise<void> }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Block = { type: string; text?: string; source?: { type: string; media_type: string; data: string } };

describe('the whole request reaches the model (end to end)', () => {
  let scenario: Scenario;
  beforeEach(async () => {
    scenario = await startScenario();
    scenario.github.addIssue(FIXTURE_ISSUE);
  });
  afterEach(async () => {
    await scenario.close();
  });

  /** Runs the bundle with the fake as the GitHub server, so its attachments are GitHub's. */
  const run = (eventName: string, event: unknown) => scenario.run({ eventName, event, env: { GITHUB_SERVER_URL: scenario.github.url } });
  const firstBlocks = (): Block[] => scenario.model.requests[0]!.body.messages[0].content as Block[];

  it('sends the attached images beside the task, with the token to GitHub only, and names the ones it could not send', async () => {
    const other = await startOtherHost();
    const { github } = scenario;
    github.addAttachment('/user-attachments/assets/aaa-111', { bytes: PNG, contentType: 'image/png' });
    github.addAttachment('/user-attachments/assets/bbb-222', { bytes: JPEG, contentType: 'image/jpeg', private: true });
    // Served as an image, but the bytes are a web page: never sent.
    github.addAttachment('/octo/demo/assets/11/ddd-444', { bytes: Buffer.from('<!DOCTYPE html><p>login</p>'), contentType: 'image/png' });
    const event = eventFixture('issue_comment.created.issue');
    event.comment.body = [
      '@nightshift make the button look like this',
      `![wanted](${github.url}/user-attachments/assets/aaa-111)`,
      `<img width="200" alt="now" src="${github.url}/user-attachments/assets/bbb-222">`,
      `![gone](${github.url}/user-attachments/assets/ccc-333)`,
      `![page](${github.url}/octo/demo/assets/11/ddd-444)`,
      `![elsewhere](${other.url}/user-attachments/assets/eee-555)`,
    ].join('\n');
    scenario.model.script(reply([toolUse(EDITOR, SLUGIFY_FIX)]), reply([text(REPORT)]));
    try {
      const result = await run('issue_comment', event);

      expect(result.outputs.status).toBe('completed');
      const blocks = firstBlocks();
      const images = blocks.filter((block) => block.type === 'image');
      expect(images.map((block) => block.source!.media_type)).toEqual(['image/png', 'image/jpeg']);
      expect(Buffer.from(images[0]!.source!.data, 'base64').equals(PNG)).toBe(true);
      expect(Buffer.from(images[1]!.source!.data, 'base64').equals(JPEG)).toBe(true);
      expect(images.map((block) => imageTypeOf(Buffer.from(block.source!.data, 'base64')))).toEqual(['image/png', 'image/jpeg']);
      // Each image is named before it, and the task text follows them.
      expect(blocks[0]!.text).toBe(`Image 1 of 2, attached to the request (${github.url}/user-attachments/assets/aaa-111):`);
      expect(blocks.findIndex((block) => block.text?.startsWith('<task>'))).toBe(4);

      // The token went to the GitHub server; the signed URL on the images host got none.
      const asked = github.requests.filter((request) => /\/assets\//.test(request.path));
      expect(asked.map((request) => [request.path, request.headers.authorization])).toEqual(
        expect.arrayContaining([
          ['/user-attachments/assets/aaa-111', `token ${TOKEN}`],
          ['/user-attachments/assets/bbb-222', `token ${TOKEN}`],
        ]),
      );
      expect(github.imageRequests.map((request) => request.path)).toEqual(['/signed/user-attachments/assets/bbb-222']);
      expect(github.imageRequests[0]!.headers.authorization).toBeUndefined();
      // A host that is not GitHub's is never asked.
      expect(other.seen).toHaveLength(0);

      for (const [id, why] of [
        ['ccc-333', 'GitHub answered 404'],
        ['ddd-444', 'it is not a PNG, JPEG, GIF or WebP image'],
        ['eee-555', 'it is not a GitHub attachment'],
      ]) {
        expect(result.summary).toMatch(new RegExp(`image \\S*${id}\\S* was not shown to the agent: ${why}`));
      }
      expect(result.summary.match(/was not shown to the agent/g)).toHaveLength(3);
    } finally {
      await other.close();
    }
  });

  it('a paused session is saved without the image bytes, and the transcript keeps only their size; the next run is told one was shown', async () => {
    const { github } = scenario;
    const picture = Buffer.concat([PNG, Buffer.alloc(30_000, 9)]);
    const data = picture.toString('base64');
    github.addAttachment('/user-attachments/assets/fff-666', { bytes: picture, contentType: 'image/png' });
    const event = eventFixture('issue_comment.created.issue');
    event.comment.body = `@nightshift make it look like this\n![wanted](${github.url}/user-attachments/assets/fff-666)`;
    scenario.model.script(reply([toolUse('ask_user', { question: 'Which colour?' }, 'toolu_ask')]));
    const first = await run('issue_comment', event);

    expect(first.outputs.status).toBe('needs-input');
    expect(firstBlocks()[1]).toMatchObject({ type: 'image', source: { media_type: 'image/png', data } });
    const saved = await scenario.repo.git(['--git-dir', scenario.repo.origin, 'show', 'refs/nightshift/sessions/7:state.json']);
    expect(saved).toContain('Which colour?');
    expect(saved).not.toContain(data.slice(0, 200));
    const transcript = await readFile(first.outputs.transcript_path!, 'utf8');
    expect(transcript).not.toContain(data.slice(0, 200));
    expect(transcript).toContain(`"data":"[${data.length} base64 characters left out]"`);

    await scenario.repo.resetToOrigin('main');
    scenario.model.script(reply([text(REPORT)]));
    const answer = eventFixture('issue_comment.created.issue');
    answer.comment = { ...answer.comment, id: 902, body: '@nightshift blue', created_at: new Date().toISOString() };
    const second = await run('issue_comment', answer);

    expect(second.outputs.status).toBe('completed');
    const resumed = scenario.model.requests[1]!.body.messages;
    expect(resumed[0].content.filter((block: Block) => block.type === 'image')).toEqual([]);
    expect(resumed[0].content[1]).toEqual({ type: 'text', text: '[An image was shown here in an earlier run; it is not kept in the saved session.]' });
    expect(toolOutput(resumed[2].content[0])).toContain('blue');
  });

  it('a review comment tells the model the file, the line range, the side and the hunk', async () => {
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/nightshift/7-slugify']);
    const event = eventFixture('pull_request_review_comment.created');
    Object.assign(event.comment, {
      body: '@nightshift rename this',
      path: 'src/slugify.js',
      start_line: 40,
      line: 42,
      start_side: 'RIGHT',
      side: 'RIGHT',
      diff_hunk: '@@ -38,4 +38,5 @@ export function slugify(text) {\n   const a = 1;\n+  const tmp = text.trim();\n+  return tmp;',
    });
    scenario.model.script(reply([text(REPORT)]));
    const result = await run('pull_request_review_comment', event);

    expect(result.outputs.status).toBe('completed');
    const task = firstBlocks().find((block) => block.text?.startsWith('<task>'))!.text!;
    expect(task).toMatch(/^<task>\nrename this\n\nThe review comment is on lines 40–42 of `src\/slugify.js` on the RIGHT side \(the new version\)\./);
    expect(task).toContain(
      '<untrusted_content source="diff hunk of src/slugify.js" author="alice">\n@@ -38,4 +38,5 @@ export function slugify(text) {\n   const a = 1;\n+  const tmp = text.trim();\n+  return tmp;\n</untrusted_content>',
    );
    // The hunk is the model's context, not the PR body's quote of the task.
    expect(result.summary).toContain('lines 40–42');
    expect(result.summary).not.toContain('const tmp = text.trim()');
  });

  it('a comment on a pull request lists its changed files for the model', async () => {
    const { github } = scenario;
    github.setPullFiles(9, [
      { filename: 'src/slugify.js', status: 'modified', additions: 4, deletions: 1 },
      { filename: 'test/slugify.test.js', status: 'added', additions: 20, deletions: 0 },
      { filename: 'src/slug.js', status: 'renamed', additions: 0, deletions: 0, previous_filename: 'src/old-slug.js' },
    ]);
    github.pulls.push({
      number: 9,
      state: 'open',
      title: 'Fix slugify',
      body: 'Agent PR',
      html_url: 'https://github.com/octo/demo/pull/9',
      labels: [],
      head: { ref: 'nightshift/7-slugify', sha: 'a'.repeat(40), repo: { full_name: 'octo/demo' } },
      base: { ref: 'main', sha: 'b'.repeat(40), repo: { full_name: 'octo/demo' } },
    });
    await scenario.repo.git(['push', '--quiet', 'origin', 'main:refs/heads/nightshift/7-slugify']);
    scenario.model.script(reply([text(REPORT)]));
    const result = await run('issue_comment', eventFixture('issue_comment.created.pr'));

    expect(result.outputs.status).toBe('completed');
    const task = firstBlocks().find((block) => block.text?.startsWith('<task>'))!.text!;
    expect(task).toContain('Files changed by pull request #9');
    expect(task).toContain('modified src/slugify.js (+4 −1)\nadded test/slugify.test.js (+20 −0)\nrenamed src/old-slug.js → src/slug.js (+0 −0)');
    const listed = github.requests.filter((request) => request.path === '/repos/octo/demo/pulls/9/files');
    expect(listed.map((request) => request.query.get('per_page'))).toEqual(['100']);
  });
});
