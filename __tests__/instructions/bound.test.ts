import { cutUtf8, looksBinary } from '../../src/instructions/bound.js';

describe('bounding an instruction file', () => {
  it('keeps a file that fits whole', () => {
    expect(cutUtf8(Buffer.from('Use pnpm.\n'), 100)).toEqual({ text: 'Use pnpm.\n', bytes: 10, cut: false });
  });

  it('cuts at a character boundary, never inside a UTF-8 sequence', () => {
    // "é" is 2 bytes, "🙂" is 4: a cut at any byte inside them steps back to the character's start.
    const data = Buffer.from('aé🙂b');
    expect(data.byteLength).toBe(8);
    expect(cutUtf8(data, 1)).toEqual({ text: 'a', bytes: 8, cut: true });
    expect(cutUtf8(data, 2)).toEqual({ text: 'a', bytes: 8, cut: true });
    expect(cutUtf8(data, 3)).toEqual({ text: 'aé', bytes: 8, cut: true });
    for (const max of [4, 5, 6]) expect(cutUtf8(data, max).text).toBe('aé');
    expect(cutUtf8(data, 7)).toEqual({ text: 'aé🙂', bytes: 8, cut: true });
    for (let max = 0; max < 8; max += 1) expect(cutUtf8(data, max).text).not.toContain('\uFFFD');
  });

  it('turns invalid bytes into replacement characters rather than failing', () => {
    expect(cutUtf8(Buffer.from([0x61, 0xff, 0x62]), 10).text).toBe('a\uFFFDb');
  });

  it('calls bytes with a NUL in them binary', () => {
    expect(looksBinary(Buffer.from('text\n'))).toBe(false);
    expect(looksBinary(Buffer.from([0x89, 0x50, 0x00, 0x47]))).toBe(true);
  });
});
