/**
 * Keeps the first and last halves of a stream of bytes within `maxBytes`,
 * however much arrives: a command that floods gigabytes costs no more memory
 * than one that prints a page. What was cut from the middle is said in place.
 */
export class OutputCap {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly maxBytes: number) {}

  get cutBytes(): number {
    return this.dropped;
  }

  push(chunk: Buffer): void {
    const headRoom = Math.floor(this.maxBytes / 2) - this.headBytes;
    if (headRoom > 0) {
      const taken = chunk.subarray(0, headRoom);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const tailLimit = this.maxBytes - Math.floor(this.maxBytes / 2);
    while (this.tailBytes > tailLimit) {
      const first = this.tail[0]!;
      const excess = this.tailBytes - tailLimit;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (this.dropped === 0) return head + tail;
    // Cut points can split a multi-byte character; drop the broken halves rather than show U+FFFD.
    return `${head.replace(/\uFFFD+$/, '')}\n[… ${this.dropped} bytes cut from the middle of the output …]\n${tail.replace(/^\uFFFD+/, '')}`;
  }
}
