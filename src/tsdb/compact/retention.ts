/** Which blocks retention deletes: by time behind the newest block, and by total size on disk. */

export interface RetentionBlock {
  readonly ulid: string;
  readonly minTime: number;
  /** Exclusive, as in meta.json. */
  readonly maxTime: number;
  readonly sizeBytes: number;
}

/**
 * The ulids to delete. Time: blocks whose maxTime is more than `retentionMs` behind the newest block's
 * (0 turns it off). Size: from the newest block back, the blocks that would take the total past
 * `maxBytes` (0 turns it off); `otherBytes` (head, WAL) counts first.
 */
export function expiredBlocks(
  blocks: readonly RetentionBlock[],
  retentionMs: number,
  maxBytes: number,
  otherBytes = 0,
): string[] {
  const newestFirst = [...blocks].sort((a, b) => b.maxTime - a.maxTime);
  const out = new Set<string>();
  const newest = newestFirst[0];
  if (newest !== undefined && retentionMs > 0) {
    for (const b of newestFirst) if (newest.maxTime - b.maxTime > retentionMs) out.add(b.ulid);
  }
  if (maxBytes > 0) {
    let total = otherBytes;
    for (const b of newestFirst) {
      total += b.sizeBytes;
      if (total > maxBytes) out.add(b.ulid);
    }
  }
  return newestFirst.filter((b) => out.has(b.ulid)).map((b) => b.ulid);
}
