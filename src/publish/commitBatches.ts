/** A path the signed commit adds (with the blob it takes) or deletes, and its size in bytes. */
export interface TreeChange {
  path: string;
  kind: 'add' | 'delete';
  /** The new content's blob; adds only. */
  blob?: string;
  /** The new content's size, before base64. */
  bytes: number;
  mode?: string;
}

/**
 * Most bytes one createCommitOnBranch request carries: base64 contents plus
 * paths. GitHub bounds a GraphQL request's body; staying well under it keeps
 * one mutation from being refused for its size.
 */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** What a change costs in a request: its base64 content, its path and the JSON around them. */
export function requestBytes(change: TreeChange): number {
  const overhead = change.path.length + 48;
  return change.kind === 'delete' ? overhead : overhead + 4 * Math.ceil(change.bytes / 3);
}

/**
 * The changes split into mutations of at most `maxBytes` each, in order,
 * deletions first (a file may take the place of a directory that went away).
 * A change bigger than `maxBytes` goes alone: it cannot be split.
 */
export function planBatches(changes: TreeChange[], maxBytes = MAX_BATCH_BYTES): TreeChange[][] {
  const ordered = [...changes.filter((change) => change.kind === 'delete'), ...changes.filter((change) => change.kind === 'add')];
  const batches: TreeChange[][] = [];
  let current: TreeChange[] = [];
  let size = 0;
  for (const change of ordered) {
    const cost = requestBytes(change);
    if (current.length > 0 && size + cost > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(change);
    size += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
