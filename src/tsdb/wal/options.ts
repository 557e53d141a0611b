/** The log's options and counters, and how options are resolved. */
import type { Logger } from '../../log/index.ts';
import { WalOptionsError } from './errors.ts';
import { DEFAULT_SEGMENT_SIZE_BYTES, PAGE_SIZE_BYTES as PAGE } from './format.ts';

/** When the log calls fsync on its own; what each guarantees is stated on `Wal` (wal.ts). */
export type WalFsyncPolicy = 'always' | 'segment' | 'never';

/** How records are written. Reading accepts both, record by record, whatever this says. */
export type WalCompression = 'snappy' | 'none';

export interface WalOptions {
  /** The segment directory (a data directory's `wal/`); created if missing. */
  readonly dir: string;
  /** Receives the tail-repair warning. */
  readonly logger: Logger;
  /** Size at which the writer moves to a new segment; a positive multiple of 32768. @default 134217728 (128 MiB) */
  readonly segmentSizeBytes?: number;
  /**
   * `'snappy'` compresses each record (kept only when smaller), as Prometheus 2.42 does by default;
   * `'none'` writes records as they are. @default 'snappy'
   */
  readonly compression?: WalCompression;
  /**
   * When the log fsyncs on its own: `'always'` at the end of every `log()`; `'segment'` when it leaves a
   * segment, before creating the next (Prometheus' behaviour); `'never'` only in `sync()` and `close()`.
   * @default 'segment'
   */
  readonly fsync?: WalFsyncPolicy;
}

/** Counters since open, for the caller to expose (e.g. as `vigil_tsdb_wal_corruptions_total`). */
export interface WalStats {
  /** Corrupt or torn tails repaired by open(): 0 or 1 per open. */
  readonly corruptionsTotal: number;
  /** Bytes cut off by tail repair. */
  readonly repairedBytesTotal: number;
  readonly pageFlushesTotal: number;
  readonly pagesCompletedTotal: number;
  readonly fsyncsTotal: number;
  readonly segmentsCreatedTotal: number;
  readonly truncationsTotal: number;
  readonly writesFailedTotal: number;
  /** Record bytes saved by compression. */
  readonly compressionSavedBytesTotal: number;
  /** Index of the segment being written. */
  readonly currentSegment: number;
}

/** Applies the defaults and validates, naming the field at fault. */
export function resolveOptions(o: WalOptions): Required<WalOptions> {
  const segmentSizeBytes = o.segmentSizeBytes ?? DEFAULT_SEGMENT_SIZE_BYTES;
  if (!Number.isSafeInteger(segmentSizeBytes) || segmentSizeBytes <= 0 || segmentSizeBytes % PAGE !== 0) {
    throw new WalOptionsError('segmentSizeBytes', segmentSizeBytes, `a positive multiple of ${PAGE}`);
  }
  const compression = o.compression ?? 'snappy';
  if (compression !== 'snappy' && compression !== 'none') {
    throw new WalOptionsError('compression', compression, "'snappy' or 'none'");
  }
  const fsync = o.fsync ?? 'segment';
  if (fsync !== 'always' && fsync !== 'segment' && fsync !== 'never') {
    throw new WalOptionsError('fsync', fsync, "'always', 'segment' or 'never'");
  }
  if (typeof o.dir !== 'string' || o.dir === '') throw new WalOptionsError('dir', o.dir, 'a directory path');
  return { dir: o.dir, logger: o.logger, segmentSizeBytes, compression, fsync };
}
