/**
 * The write-ahead log: records appended to numbered segment files in 32 KiB pages, in Prometheus 2.42's format
 * (docs/format/wal.md), so that Prometheus and vigil can each open the other's `wal/` directory.
 *
 * Durability (what each policy promises; "logged" means `log()` returned):
 *
 * - Process crash (kill -9, out of memory, a thrown error), every policy: every logged record survives.
 *   `log()` hands each batch to the kernel with write(2) before it returns. A batch is not atomic: a crash
 *   inside `log()` may keep a prefix of its records, never part of one record (open() cuts a torn record).
 * - Power loss or kernel crash:
 *   - `'always'`: every logged record survives (`log()` ends with fdatasync(2)).
 *   - `'segment'` (default; Prometheus' behaviour): records in completed segments, and those logged before a
 *     `sync()` or `close()` that resolved, survive; the rest of the active segment may be lost or torn, which
 *     open() repairs. A segment is fsynced before the next one is created, so only the last can be torn.
 *   - `'never'`: only records logged before a `sync()` or `close()` that resolved are sure to survive; any
 *     segment written since may be torn, and a torn segment that is not the last surfaces as a
 *     `WalCorruptionError` when read.
 *
 * The log is used from one thread: `log()`, `nextSegment()` and `truncate()` are synchronous; `sync()` and
 * `close()` may overlap with them.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { WalClosedError, WalIoError } from './errors.ts';
import {
  FragmentType,
  FRAGMENT_HEADER_SIZE_BYTES as HEADER,
  MAX_FRAGMENT_DATA_BYTES,
  PAGE_SIZE_BYTES as PAGE,
  SNAPPY_FLAG,
} from './format.ts';
import { resolveOptions, type WalFsyncPolicy, type WalOptions, type WalStats } from './options.ts';
import { Page } from './page.ts';
import { repairTail } from './repair.ts';
import { SegmentFile, syncDir, syncPath } from './segment-file.ts';
import { listSegments, type SegmentRef } from './segments.ts';
import { snappyEncode, snappyMaxEncodedLength } from './snappy-encode.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class Wal {
  readonly dir: string;
  private readonly pagesPerSegment: number;
  private readonly compress: boolean;
  private readonly policy: WalFsyncPolicy;
  private readonly page = new Page();
  /** Compressed records are built here and copied into pages at once: no array per record. */
  private scratch = new Uint8Array(0);
  /** Records in a row that used under a quarter of `scratch` (see compressBuffer). */
  private scratchIdle = 0;
  private segment: SegmentFile;
  /** Pages of the active segment already written in full. */
  private donePages = 0;
  /** Segments completed under 'never' and not fsynced since. */
  private unsynced: string[] = [];
  private dirDirty = false;
  private broken: unknown = null;
  private closing: Promise<void> | null = null;
  private readonly inflight = new Set<Promise<void>>();
  private readonly counters: Mutable<WalStats>;

  private constructor(options: Required<WalOptions>, segment: SegmentFile, counters: Mutable<WalStats>) {
    this.dir = options.dir;
    this.pagesPerSegment = options.segmentSizeBytes / PAGE;
    this.compress = options.compression === 'snappy';
    this.policy = options.fsync;
    this.segment = segment;
    this.counters = counters;
  }

  /**
   * Opens the log in `options.dir`: checks that the segments are contiguous, reads the last non-empty segment
   * and truncates it at its first torn or corrupt record (warning through the logger and counting it in
   * `corruptionsTotal`), then starts writing in a new segment after the existing ones (or reuses the last one
   * if it is empty), as Prometheus does. Earlier segments are not read here: their corruption, if any, is
   * reported by a `WalReader` during replay.
   * @throws WalOptionsError, WalSegmentGapError, WalUnsupportedError, WalIoError.
   */
  static async open(options: WalOptions): Promise<Wal> {
    const resolved = resolveOptions(options);
    const { dir, logger } = resolved;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (cause) {
      throw new WalIoError(dir, 'create directory', { cause });
    }
    const counters: Mutable<WalStats> = {
      corruptionsTotal: 0,
      repairedBytesTotal: 0,
      pageFlushesTotal: 0,
      pagesCompletedTotal: 0,
      fsyncsTotal: 0,
      segmentsCreatedTotal: 0,
      truncationsTotal: 0,
      writesFailedTotal: 0,
      compressionSavedBytesTotal: 0,
      currentSegment: 0,
    };
    const segs = listSegments(dir);
    let tail = segs.length - 1;
    while (tail >= 0 && (segs[tail] as SegmentRef).sizeBytes === 0) tail--;
    let lastEmpty = segs.length > 0 && (segs.at(-1) as SegmentRef).sizeBytes === 0;
    if (tail >= 0) {
      const repair = repairTail(dir, segs[tail] as SegmentRef);
      if (repair !== null) {
        counters.corruptionsTotal++;
        counters.repairedBytesTotal += repair.truncatedBytes;
        logger.warn('WAL segment ended in a torn or corrupt record; truncated it after its last good record', {
          dir,
          segment: repair.segment,
          offset: repair.offset,
          truncatedBytes: repair.truncatedBytes,
          reason: repair.error.reason,
        });
        if (tail === segs.length - 1 && repair.offset === 0) lastEmpty = true;
      } else if (resolved.fsync !== 'never') {
        // The last run may have died before fsyncing it: make it durable before later segments can exist.
        syncPath((segs[tail] as SegmentRef).path);
      }
    }
    const last = segs.at(-1);
    const index = last === undefined ? 0 : lastEmpty ? last.index : last.index + 1;
    const segment = SegmentFile.open(dir, index);
    if (!lastEmpty) counters.segmentsCreatedTotal++;
    counters.currentSegment = index;
    const wal = new Wal(resolved, segment, counters);
    if (resolved.fsync === 'never') {
      wal.dirDirty = true;
    } else {
      try {
        syncDir(dir);
      } catch (err) {
        segment.release();
        throw err;
      }
    }
    return wal;
  }

  /**
   * Appends `records` in order, splitting each into fragments that fit the pages, and writes them to the
   * segment before returning (and fsyncs under `'always'`). A record that does not fit in what is left of the
   * active segment starts a new segment; one larger than a whole segment makes that segment larger.
   * `records` may be reused once this returns.
   * @throws WalClosedError after close() or after a failed write; WalIoError when a write fails (the log then
   *   refuses further writes: close and reopen it).
   */
  log(records: readonly Uint8Array[]): void {
    this.assertWritable();
    try {
      for (const rec of records) this.logRecord(rec);
      if (this.page.alloc > this.page.flushed) this.flushPage(false);
      if (this.policy === 'always') {
        this.segment.syncNow();
        this.counters.fsyncsTotal++;
      }
    } catch (err) {
      this.counters.writesFailedTotal++;
      this.broken = err;
      throw err;
    }
  }

  /**
   * Resolves once every record logged before the call is on stable storage (and the directory entries of the
   * segments holding them). Rejects with WalIoError if an fsync fails; the log then refuses further writes.
   */
  async sync(): Promise<void> {
    if (this.closing !== null) return this.closing;
    const p = this.syncAll();
    this.inflight.add(p);
    try {
      await p;
    } finally {
      this.inflight.delete(p);
    }
  }

  /**
   * Closes the active segment (its last page padded with zeros) and starts the next, returning the new
   * segment's index. Checkpointing calls this so that every segment below the new one is complete.
   */
  nextSegment(): number {
    this.assertWritable();
    try {
      this.rotate();
    } catch (err) {
      this.broken = err;
      throw err;
    }
    return this.segment.index;
  }

  /**
   * Deletes the segments whose index is below `beforeSegment` (never the active one), lowest first.
   * Returns how many were deleted.
   * @throws WalIoError, WalSegmentGapError.
   */
  truncate(beforeSegment: number): number {
    const limit = Math.min(beforeSegment, this.segment.index);
    let n = 0;
    for (const s of listSegments(this.dir)) {
      if (s.index >= limit) break;
      try {
        unlinkSync(s.path);
      } catch (cause) {
        throw new WalIoError(s.path, 'delete segment', { cause });
      }
      n++;
    }
    this.counters.truncationsTotal++;
    return n;
  }

  /** The first and last segment indexes on disk (the last is the active one). */
  segmentRange(): { first: number; last: number } {
    const segs = listSegments(this.dir);
    return { first: segs[0]?.index ?? this.segment.index, last: this.segment.index };
  }

  /** A snapshot of the counters. */
  stats(): WalStats {
    return { ...this.counters };
  }

  /**
   * Writes out the last page (padded), waits for fsyncs in flight, fsyncs what is not yet durable, and closes
   * the segment. Idempotent: later calls return the same promise. After a failed write it only releases the file.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    try {
      if (this.broken === null && this.page.alloc > 0) this.flushPage(true);
      await Promise.allSettled([...this.inflight]);
      if (this.broken === null) await this.syncAll();
    } finally {
      this.segment.release();
      await this.segment.closed();
    }
  }

  private assertWritable(): void {
    if (this.broken !== null) throw new WalClosedError(this.dir, { cause: this.broken });
    if (this.closing !== null) throw new WalClosedError(this.dir);
  }

  private async syncAll(): Promise<void> {
    const paths = this.unsynced.splice(0);
    const dirDirty = this.dirDirty;
    this.dirDirty = false;
    try {
      await this.segment.sync();
      for (const p of paths) syncPath(p);
      if (dirDirty) syncDir(this.dir);
      this.counters.fsyncsTotal++;
    } catch (err) {
      this.broken ??= err;
      throw err;
    }
  }

  private logRecord(rec: Uint8Array): void {
    const page = this.page;
    if (page.full()) this.flushPage(true);

    let data = rec;
    let flag = 0;
    if (this.compress && rec.length > 0) {
      const c = snappyEncode(rec, this.compressBuffer(rec.length));
      if (c.length < rec.length) {
        this.counters.compressionSavedBytesTotal += rec.length - c.length;
        data = c;
        flag = SNAPPY_FLAG;
      }
    }

    const left = page.remaining() - HEADER + MAX_FRAGMENT_DATA_BYTES * (this.pagesPerSegment - this.donePages - 1);
    const segmentEmpty = this.donePages === 0 && page.alloc === 0;
    if (data.length > left && !segmentEmpty) this.rotate();

    let off = 0;
    let first = true;
    do {
      const n = Math.min(data.length - off, PAGE - page.alloc - HEADER);
      const last = off + n === data.length;
      const type = first
        ? last
          ? FragmentType.Full
          : FragmentType.First
        : last
          ? FragmentType.Last
          : FragmentType.Middle;
      page.putFragment(type | flag, data, off, off + n);
      off += n;
      first = false;
      if (page.full()) this.flushPage(true);
    } while (off < data.length);
  }

  /**
   * The buffer to compress a record of `n` bytes into: `scratch`, grown to fit with an eighth to spare, and
   * shrunk after 64 records in a row used under a quarter of it, so that one large record (a first scrape's
   * series) does not pin its size.
   */
  private compressBuffer(n: number): Uint8Array {
    const max = snappyMaxEncodedLength(n);
    const size = this.scratch.length;
    if (max > size || (max < size >>> 2 && ++this.scratchIdle >= 64)) {
      this.scratch = new Uint8Array(max + (max >>> 3));
      this.scratchIdle = 0;
    } else if (max >= size >>> 2) {
      this.scratchIdle = 0;
    }
    return this.scratch;
  }

  /** Writes the unwritten part of the page; with `close`, pads it to its end first and starts a new page. */
  private flushPage(close: boolean): void {
    const page = this.page;
    if (close) page.alloc = PAGE;
    if (page.alloc > page.flushed) {
      this.segment.writeAt(page.buf, page.flushed, page.alloc, this.donePages * PAGE + page.flushed);
    }
    page.flushed = page.alloc;
    this.counters.pageFlushesTotal++;
    if (close) {
      page.reset();
      this.donePages++;
      this.counters.pagesCompletedTotal++;
    }
  }

  private rotate(): void {
    if (this.page.alloc > 0) this.flushPage(true);
    const prev = this.segment;
    if (this.policy === 'never') {
      this.unsynced.push(prev.path);
    } else {
      prev.syncNow();
      this.counters.fsyncsTotal++;
    }
    prev.release();
    this.segment = SegmentFile.open(this.dir, prev.index + 1);
    this.donePages = 0;
    this.counters.segmentsCreatedTotal++;
    this.counters.currentSegment = this.segment.index;
    if (this.policy === 'never') this.dirDirty = true;
    else syncDir(this.dir);
  }
}
