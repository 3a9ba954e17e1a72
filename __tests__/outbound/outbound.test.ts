import { jest } from '@jest/globals';
import { createOctokit } from '../../src/github/octokit.js';
import { redactRequests } from '../../src/github/redactRequests.js';
import * as log from '../../src/outbound/log.js';
import { Outbound } from '../../src/outbound/outbound.js';
import { emptyReport } from '../../src/records/report.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.js';

const SECRET = 's3cret-value-123';
const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyzAB';

describe('the one door text leaves by', () => {
  it('redacts every string of a report, however deep, and keeps its shape', () => {
    const out = new Outbound({ inActions: false });
    out.know([SECRET, undefined, '']);
    const report = emptyReport('completed', `done with ${SECRET}`, {
      fileChanges: [{ path: `notes/${SECRET}.txt`, added: 1, deleted: 0, status: 'A' }],
      verification: {
        verdict: 'failed',
        commands: [`test ${SECRET}`],
        runs: [{ attempt: 1, results: [{ command: `test ${SECRET}`, passed: false, exitCode: 1, timedOut: false, durationMs: 1, output: `leaked ${TOKEN}` }] }],
      },
      approval: { command: `curl -H "x: ${SECRET}" https://x`, by: 'alice', decision: 'approved', ran: true, exitCode: 0, outputTail: SECRET },
      box: { isolation: 'user', network: 'allowlist', enforced: true, egress: [{ host: `${SECRET}.example.com`, port: 443, allowed: false, count: 1 }] },
    });
    const redacted = out.value(report);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('ghs_0123');
    expect(redacted.fileChanges[0]!.path).toBe('notes/***.txt');
    expect(redacted.box!.egress[0]).toEqual({ host: '***.example.com', port: 443, allowed: false, count: 1 });
    expect(redacted.verification.runs[0]!.results[0]!.exitCode).toBe(1);
  });

  it('keeps what it already knew when told of another secret later (a token minted mid-run)', () => {
    const out = new Outbound({ inActions: false });
    out.know([SECRET]);
    out.know(['minted-later-456']);
    expect(out.text(`${SECRET} and minted-later-456`)).toBe('*** and ***');
    expect(out.secrets).toEqual([SECRET, 'minted-later-456']);
  });

  it('masks token shapes before it knows any secret, and known values after', () => {
    const out = new Outbound({ inActions: false });
    expect(out.text(`a ${TOKEN} and ${SECRET}`)).toBe(`a *** and ${SECRET}`);
    out.know([SECRET]);
    expect(out.text(`a ${TOKEN} and ${SECRET}`)).toBe('a *** and ***');
    expect(out.secrets).toEqual([SECRET]);
  });

  it('finds a secret the redactor cannot mask, spelled in base64', () => {
    const out = new Outbound({ inActions: false });
    out.know([SECRET]);
    expect(out.findSecret(Buffer.from(`x${SECRET}`).toString('base64'))).toBeDefined();
    expect(out.findSecret('nothing here')).toBeUndefined();
  });

  it('redacts every line through the log door', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const out = new Outbound({ inActions: false });
      out.know([SECRET]);
      log.info(`step 1 — bash: echo ${SECRET}`);
      log.warning(`could not post: ${SECRET}`);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain('step 1 — bash: echo ***');
    expect(written.join('')).toContain('::warning::could not post: ***');
    expect(written.join('')).not.toContain(SECRET);
  });
});

describe('every request to GitHub, redacted on the way out', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub({ owner: 'acme', repo: 'widgets' });
    github.addIssue({ number: 7, title: 'Fix it', body: 'please', user: 'alice' });
  });
  afterEach(() => github.close());

  it('reaches GitHub with its text redacted and its token whole', async () => {
    const out = new Outbound({ inActions: false });
    out.know([SECRET]);
    const octokit = await createOctokit({ token: TOKEN, baseUrl: github.url });
    redactRequests(octokit, (value) => out.value(value));
    await octokit.rest.issues.createComment({ owner: 'acme', repo: 'widgets', issue_number: 7, body: `the key is ${SECRET}; the token ${TOKEN}` });
    await octokit.rest.issues.addLabels({ owner: 'acme', repo: 'widgets', issue_number: 7, labels: [`label-${SECRET}`] });
    expect(github.comments(7).map((comment) => comment.body)).toEqual(['the key is ***; the token ***']);
    const sent = github.requests.filter((request) => request.method === 'POST');
    expect(JSON.stringify(sent.map((request) => request.body))).not.toContain(SECRET);
    expect(sent.every((request) => request.headers.authorization === `token ${TOKEN}`)).toBe(true);
  });
});
