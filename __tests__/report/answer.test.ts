import { renderAnswer } from '../../src/report/answer.js';
import { closingReferences, htmlTags, mentions } from '../support/githubText.js';

describe('renderAnswer: the agent’s reply as a comment', () => {
  it('keeps an answer that fits whole, formatting and code included', () => {
    const answer = 'It times out because `sleep` is mocked:\n\n```js\nawait sleep(10);\n```';
    expect(renderAnswer(answer)).toBe(answer);
  });

  it('makes mentions, closing references and HTML inert', () => {
    const shown = renderAnswer('Ask @octo/team or @bob. Fixes #3. <img src=x onerror=alert(1)>');
    expect(mentions(shown)).toEqual([]);
    expect(closingReferences(shown)).toEqual([]);
    expect(htmlTags(shown)).toEqual([]);
  });

  it('cuts a long answer to the limit, even when inert text grows, and says so', () => {
    for (const answer of ['word '.repeat(30_000), '<'.repeat(100_000), `${'😀'.repeat(40_000)}`]) {
      const shown = renderAnswer(answer);
      expect(shown.length).toBeLessThanOrEqual(60_000);
      expect(shown).toMatch(/\[… the answer was cut to fit a comment \([\d,]+ characters\); all of it is in the job summary and the transcript\.\]_$/);
      // No lone surrogate: the cut falls between code points.
      expect(shown).toBe(Buffer.from(shown, 'utf8').toString('utf8'));
    }
  });

  it('closes a code fence the cut leaves open', () => {
    const shown = renderAnswer(`\`\`\`\n${'x\n'.repeat(1_000)}`, 500);
    expect(shown.length).toBeLessThanOrEqual(500);
    expect((shown.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
});
