import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { transcriptName, transcriptPath } from '../../src/agent/transcriptName.js';

// upload-artifact refuses these in a name (and answers 409 for a name already used in the run).
const FORBIDDEN = /["/\\:<>|*?\r\n]/;

describe('transcriptName', () => {
  it('names the run, the job, the matrix entry and the attempt', () => {
    expect(transcriptName({ runId: '4242', job: 'work', jobIndex: '2', attempt: '1' })).toBe('nightshift-transcript-4242-work-2-1');
  });

  it('differs for every job, matrix entry and attempt of one run', () => {
    const names = new Set<string>();
    for (const job of ['plan', 'work']) {
      for (const jobIndex of ['0', '1', '2']) {
        for (const attempt of ['1', '2']) names.add(transcriptName({ runId: '4242', job, jobIndex, attempt }));
      }
    }
    expect(names.size).toBe(2 * 3 * 2);
  });

  it('leaves out what is not known (a local run has no job)', () => {
    expect(transcriptName({ runId: 'local-lx3k9' })).toBe('nightshift-transcript-local-lx3k9');
    expect(transcriptName({ runId: '4242', job: 'agent', jobIndex: '', attempt: '1' })).toBe('nightshift-transcript-4242-agent-1');
  });

  it('is a valid artifact and file name whatever the parts hold, and stays bounded', () => {
    const hostile = transcriptName({ runId: '1/2', job: 'a:b<c>d|e*f?g"h\\i\r\nj k', jobIndex: '../0', attempt: '1' });
    expect(hostile).not.toMatch(FORBIDDEN);
    expect(hostile).toMatch(/^nightshift-transcript-[A-Za-z0-9_-]+$/);

    const long = transcriptName({ runId: '9'.repeat(200), job: 'j'.repeat(500), jobIndex: '2'.repeat(200), attempt: '1'.repeat(200) });
    expect(long.length).toBeLessThanOrEqual(128);
    expect(long).not.toMatch(FORBIDDEN);
  });

  it('keeps two jobs apart when cleaning or shortening makes their names alike', () => {
    const a = transcriptName({ runId: '1', job: `${'x'.repeat(100)}a`, jobIndex: '0', attempt: '1' });
    const b = transcriptName({ runId: '1', job: `${'x'.repeat(100)}b`, jobIndex: '0', attempt: '1' });
    expect(a).not.toBe(b);
    expect(transcriptName({ runId: '1', job: 'a:b' })).not.toBe(transcriptName({ runId: '1', job: 'a?b' }));
    expect(transcriptName({ runId: '1', job: 'a:b' })).not.toBe(transcriptName({ runId: '1', job: 'a_b' }));
  });

  it('gives a second Nightshift step of the same job a path of its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'transcripts-'));
    const parts = { runId: '4242', job: 'agent', jobIndex: '0', attempt: '1' };
    const first = transcriptPath(dir, parts);
    expect(basename(first)).toBe('nightshift-transcript-4242-agent-0-1.jsonl');
    writeFileSync(first, '');
    const second = transcriptPath(dir, parts);
    expect(basename(second)).toBe('nightshift-transcript-4242-agent-0-1-2.jsonl');
  });
});
