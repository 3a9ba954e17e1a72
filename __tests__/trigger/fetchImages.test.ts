import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchImages, MAX_IMAGE_BYTES } from '../../src/trigger/fetchImages.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const TOKEN = 'ghs_token_for_attachments';

describe('fetching the attached images', () => {
  let github: FakeGitHub;
  let other: Server;
  let otherUrl: string;
  const seen: Array<{ url: string; authorization?: string }> = [];
  beforeAll(async () => {
    github = await startFakeGitHub({ owner: 'octo', repo: 'demo' });
    // Another host: one path redirects elsewhere, one never answers.
    other = createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      if (request.url === '/hang') return;
      response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
    await github.close();
  });
  const fetchOne = (path: string, timeoutMs?: number) =>
    fetchImages({ links: [{ url: `${github.url}${path}`, alt: '' }], serverUrl: github.url, token: TOKEN, timeoutMs });

  it('refuses an image over the size the Messages API takes', async () => {
    github.addAttachment('/user-attachments/assets/big-1', { bytes: Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES)]) });
    const result = await fetchOne('/user-attachments/assets/big-1');
    expect(result.images).toEqual([]);
    expect(result.notices).toEqual([expect.stringMatching(/big-1 was not shown to the agent: it is larger than 3932160 bytes/)]);
    expect(Buffer.from('A'.repeat(4 * Math.ceil(MAX_IMAGE_BYTES / 3))).length).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('takes one just under the limit', async () => {
    const bytes = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES - PNG.length)]);
    github.addAttachment('/user-attachments/assets/edge-1', { bytes });
    const result = await fetchOne('/user-attachments/assets/edge-1');
    expect(result.notices).toEqual([]);
    expect(result.images[0]!.base64.length).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  it('does not follow a redirect to a host that is not GitHub’s', async () => {
    github.failNext('GET', /^\/user-attachments\/assets\/moved-1$/, { status: 302, headers: { location: `${otherUrl}/x.png` } });
    github.addAttachment('/user-attachments/assets/moved-1', { bytes: PNG });
    const result = await fetchOne('/user-attachments/assets/moved-1');
    expect(result.notices).toEqual([
      expect.stringMatching(/moved-1 was not shown to the agent: it redirects to localhost:\d+, which is not a GitHub image host/),
    ]);
    expect(seen.map((request) => request.url)).not.toContain('/x.png');
  });

  it('gives up on an image that does not come in time', async () => {
    // Another port of the server's own host name (where a server's signed URLs live): followed, without the token, and it hangs.
    github.failNext('GET', /^\/user-attachments\/assets\/slow-1$/, {
      status: 302,
      headers: { location: `${otherUrl.replace('localhost', '127.0.0.1')}/hang` },
    });
    github.addAttachment('/user-attachments/assets/slow-1', { bytes: PNG });
    const started = Date.now();
    const result = await fetchImages({
      links: [
        { url: `${github.url}/user-attachments/assets/slow-1`, alt: '' },
        { url: `${otherUrl.replace('localhost', '127.0.0.1')}/hang`, alt: '' },
      ],
      serverUrl: github.url,
      token: TOKEN,
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.notices[0]).toMatch(/127\.0\.0\.1:\d+\/hang was not shown to the agent: it is not a GitHub attachment/);
    expect(result.notices[1]).toMatch(/slow-1 was not shown to the agent: no answer within 0.3 s$/);
    expect(seen.filter((request) => request.url === '/hang')).toEqual([{ url: '/hang', authorization: undefined }]);
  });
});
