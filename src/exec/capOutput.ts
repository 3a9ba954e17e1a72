import { danglingContinuationBytes, incompleteTailStart } from './utf8.js';

/** A streaming accumulator that keeps the start and the end of a command's output. */
export interface OutputCap {
  /** Adds bytes in arrival order. */
  push(chunk: Uint8Array): void;
  /** The kept text, with a line saying how much was cut, and the number of bytes cut. */
  finish(): { text: string; cutBytes: number };
}

/**
 * Keeps the first half and the last half of `maxBytes` of a byte stream,
 * however much arrives: a command that floods gigabytes costs no more memory
 * than one that prints a page (the end lives in a fixed ring buffer). The
 * start of the output says what a command was doing, the end how it ended;
 * the middle is what the model can most afford to lose, and it is told so.
 */
export function capOutput(maxBytes: number): OutputCap {
  const headLimit = Math.max(0, Math.floor(maxBytes / 2));
  const tailLimit = Math.max(0, Math.floor(maxBytes) - headLimit);
  // Until the limit is first exceeded everything is kept as it came.
  let kept: Uint8Array[] = [];
  let keptBytes = 0;
  // After that: a fixed head, and a ring holding the newest `tailLimit` bytes.
  let head: Buffer | undefined;
  let ring: Buffer | undefined;
  let ringEnd = 0;
  let ringFilled = 0;
  let seen = 0;

  const writeRing = (chunk: Uint8Array): void => {
    if (!ring || tailLimit === 0) return;
    // Only the last `tailLimit` bytes of a big chunk can survive.
    const source = chunk.length > tailLimit ? chunk.subarray(chunk.length - tailLimit) : chunk;
    const first = Math.min(source.length, tailLimit - ringEnd);
    ring.set(source.subarray(0, first), ringEnd);
    ring.set(source.subarray(first), 0);
    ringEnd = (ringEnd + source.length) % tailLimit;
    ringFilled = Math.min(tailLimit, ringFilled + source.length);
  };

  return {
    push(chunk) {
      seen += chunk.length;
      if (!head) {
        if (keptBytes + chunk.length <= maxBytes) {
          kept.push(chunk);
          keptBytes += chunk.length;
          return;
        }
        // First overflow: split what was kept into the head and the start of the ring.
        const all = Buffer.concat([...kept, chunk]);
        kept = [];
        head = Buffer.from(all.subarray(0, headLimit));
        ring = Buffer.alloc(tailLimit);
        writeRing(all.subarray(headLimit));
        return;
      }
      writeRing(chunk);
    },

    finish() {
      if (!head || !ring) return { text: Buffer.concat(kept).toString('utf8'), cutBytes: 0 };
      // A full ring's oldest byte sits at ringEnd; one never wrapped starts at 0.
      const tail = ringFilled === tailLimit ? Buffer.concat([ring.subarray(ringEnd), ring.subarray(0, ringEnd)]) : ring.subarray(0, ringEnd);
      // Cut points can fall inside a character; its broken halves count as cut.
      const headEnd = incompleteTailStart(head);
      const tailStart = danglingContinuationBytes(tail);
      const cutBytes = seen - headEnd - (tail.length - tailStart);
      const text =
        head.subarray(0, headEnd).toString('utf8') +
        `\n[… ${cutBytes} bytes cut from the middle of the output …]\n` +
        tail.subarray(tailStart).toString('utf8');
      return { text, cutBytes };
    },
  };
}
