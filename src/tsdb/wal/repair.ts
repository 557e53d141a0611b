/**
 * Tail repair: the last segment written before a crash may end in a torn or corrupt record. Prometheus
 * repairs by cutting the segment where its reader failed; so does this, for the last segment only.
 */
import { closeSync, fdatasyncSync, ftruncateSync, openSync } from 'node:fs';
import { WalCorruptionError, WalIoError } from './errors.ts';
import { WalReader } from './reader.ts';
import type { SegmentRef } from './segments.ts';

/** What a repair cut off. */
export interface TailRepair {
  readonly segment: number;
  /** The new size of the segment: the offset where the first bad record (or bad padding) started. */
  readonly offset: number;
  readonly truncatedBytes: number;
  /** The corruption found, as the reader reported it. */
  readonly error: WalCorruptionError;
}

/**
 * Reads every record of `segment`; if one is torn or corrupt, truncates the file where that record starts and
 * fsyncs it. Returns what was done, or null when the segment is sound.
 * @throws WalUnsupportedError (never cut away), WalIoError.
 */
export function repairTail(dir: string, segment: SegmentRef): TailRepair | null {
  const reader = new WalReader([{ dir, index: segment.index, path: segment.path }]);
  while (reader.next()) {
    // Reading is the check.
  }
  reader.close();
  const err = reader.err();
  if (err === null) return null;
  if (!(err instanceof WalCorruptionError)) throw err;
  let fd = -1;
  try {
    fd = openSync(segment.path, 'r+');
    ftruncateSync(fd, err.offset);
    fdatasyncSync(fd);
  } catch (cause) {
    throw new WalIoError(segment.path, 'truncate corrupt tail of', { cause });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  return { segment: segment.index, offset: err.offset, truncatedBytes: segment.sizeBytes - err.offset, error: err };
}
