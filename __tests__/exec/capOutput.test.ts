import { capOutput } from '../../src/exec/capOutput.js';

const marker = (bytes: number) => `\n[… ${bytes} bytes cut from the middle of the output …]\n`;

describe('capOutput', () => {
  it('keeps everything that fits, joined in arrival order', () => {
    const cap = capOutput(10);
    cap.push(Buffer.from('hello'));
    cap.push(Buffer.from('world'));
    expect(cap.finish()).toEqual({ text: 'helloworld', cutBytes: 0 });
  });

  it('keeps the first and last halves and says how much was cut', () => {
    const cap = capOutput(10);
    for (const chunk of ['abc', 'defg', 'hijklm', 'nopqrstuvw', 'xyz']) cap.push(Buffer.from(chunk));
    expect(cap.finish()).toEqual({ text: `abcde${marker(16)}vwxyz`, cutBytes: 16 });
  });

  it('handles chunks larger than the whole limit', () => {
    const cap = capOutput(6);
    cap.push(Buffer.from('0123456789'));
    cap.push(Buffer.from('ABCDEFGHIJ'));
    expect(cap.finish()).toEqual({ text: `012${marker(14)}HIJ`, cutBytes: 14 });
  });

  it('never shows half a character at a cut, and counts the halves as cut', () => {
    const cap = capOutput(9);
    // "é" is 2 bytes and "€" is 3: with 4 bytes per half both cut points fall inside a character.
    cap.push(Buffer.from('aéé€€€b'));
    const { text, cutBytes } = cap.finish();
    expect(text).toBe(`aé${marker(8)}€b`);
    expect(cutBytes).toBe(Buffer.byteLength('aéé€€€b') - Buffer.byteLength('aé€b'));
    expect(text).not.toContain('\uFFFD');
  });

  it('keeps nothing, and says so, with a limit of zero', () => {
    const cap = capOutput(0);
    cap.push(Buffer.from('abc'));
    expect(cap.finish()).toEqual({ text: marker(3), cutBytes: 3 });
  });

  it('holds a bounded amount of memory however much passes through', () => {
    const cap = capOutput(64 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    // 512 MiB in fresh 1 MiB chunks: kept references would show as hundreds of MiB.
    for (let index = 0; index < 512; index += 1) {
      cap.push(Buffer.alloc(1024 * 1024, (index % 26) + 97));
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }
    const { text, cutBytes } = cap.finish();
    expect(cutBytes).toBe(512 * 1024 * 1024 - 64 * 1024);
    expect(text).toBe(`${'a'.repeat(32 * 1024)}${marker(cutBytes)}${'r'.repeat(32 * 1024)}`);
    // Garbage collection is lazy, so allow slack, far below what keeping the chunks would cost.
    expect(peak - before).toBeLessThan(160 * 1024 * 1024);
  });
});
