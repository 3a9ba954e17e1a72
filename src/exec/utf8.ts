/**
 * UTF-8 boundaries. Output arrives in chunks cut anywhere, and the output cap
 * cuts anywhere too; decoding a half character gives U+FFFD, so the halves
 * are held back (between chunks) or dropped (at a cut) instead.
 */

/** Index where a trailing, incomplete multi-byte sequence starts; `bytes.length` when the end is complete. */
export function incompleteTailStart(bytes: Uint8Array): number {
  // A sequence is at most 4 bytes, so its lead byte is among the last 4.
  for (let index = bytes.length - 1; index >= Math.max(0, bytes.length - 4); index -= 1) {
    const byte = bytes[index]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return index + needed > bytes.length ? index : bytes.length;
  }
  return bytes.length;
}

/** How many continuation bytes (the rest of a character cut before them) open `bytes`, at most 3. */
export function danglingContinuationBytes(bytes: Uint8Array): number {
  let count = 0;
  while (count < 3 && count < bytes.length && (bytes[count]! & 0xc0) === 0x80) count += 1;
  return count;
}
