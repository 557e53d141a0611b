/** Segment files: naming and listing. A segment's name is its index, zero-padded to 8 digits. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WalIoError, WalSegmentGapError } from './errors.ts';
import { SEGMENT_NAME_DIGITS } from './format.ts';

/** One segment file as found on disk. */
export interface SegmentRef {
  readonly index: number;
  /** Absolute or dir-relative path, as the listed directory was given. */
  readonly path: string;
  readonly sizeBytes: number;
}

/** `42` → `00000042`. Indexes past 8 digits keep all their digits, as Prometheus' `%08d` does. */
export function segmentName(index: number): string {
  return String(index).padStart(SEGMENT_NAME_DIGITS, '0');
}

/** The index a file name stands for, or -1 when the name is not all decimal digits. */
export function parseSegmentName(name: string): number {
  return /^\d+$/.test(name) ? Number(name) : -1;
}

/**
 * The segments in `dir`, by ascending index. Other entries (checkpoints, temporary files) are ignored.
 * @throws WalSegmentGapError when the indexes are not contiguous; WalIoError when the directory cannot be read.
 */
export function listSegments(dir: string): SegmentRef[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new WalIoError(dir, 'list segments in', { cause });
  }
  const refs: SegmentRef[] = [];
  for (const name of names) {
    const index = parseSegmentName(name);
    if (index < 0) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) refs.push({ index, path, sizeBytes: st.size });
    } catch (cause) {
      throw new WalIoError(path, 'stat segment', { cause });
    }
  }
  refs.sort((a, b) => a.index - b.index);
  for (let i = 1; i < refs.length; i++) {
    const prev = refs[i - 1] as SegmentRef;
    if ((refs[i] as SegmentRef).index !== prev.index + 1) throw new WalSegmentGapError(dir, prev.index + 1);
  }
  return refs;
}
