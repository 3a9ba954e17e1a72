/** How much of the repository's instructions the model gets. Every byte sits in every request's cached prefix. */
export const INSTRUCTION_LIMITS = {
  /** One root file (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md). */
  rootFileBytes: 16_384,
  /** All root files together. */
  rootTotalBytes: 32_768,
  /** One nested AGENTS.md, delivered in a tool result. */
  nestedFileBytes: 8_192,
  /** Nested AGENTS.md files considered, shallowest first. */
  nestedFiles: 20,
  /** Blobs larger than this are not read at all (a generated or LFS file is not instructions). */
  readBytes: 1_048_576,
  /** The workflow's `instructions` input. */
  workflowBytes: 16_384,
} as const;

export interface BoundText {
  text: string;
  /** The file's size in bytes, whole. */
  bytes: number;
  /** True when `text` holds only the first part of it. */
  cut: boolean;
}

/**
 * The first `maxBytes` of `data` as text, cut at a character boundary (never
 * inside a UTF-8 sequence), so what the model reads is valid text.
 */
export function cutUtf8(data: Uint8Array, maxBytes: number): BoundText {
  const bytes = data.byteLength;
  if (bytes <= maxBytes) return { text: decode(data), bytes, cut: false };
  let end = Math.max(0, maxBytes);
  // A continuation byte (10xxxxxx) belongs to the character before it: step back to that character's start.
  while (end > 0 && ((data[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return { text: decode(data.subarray(0, end)), bytes, cut: true };
}

/** Bytes that are not text (a NUL in them) are no instructions. */
export function looksBinary(data: Uint8Array): boolean {
  return data.subarray(0, 8_000).includes(0);
}

function decode(data: Uint8Array): string {
  // Invalid sequences become U+FFFD: the text stays valid, whatever the file held.
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(data);
}

/** "900 bytes", "12.0 KiB" */
export function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KiB`;
}
