/**
 * The record reader: a cursor over the records of a run of segments (a `wal/` directory, a checkpoint, or both),
 * reassembling fragments, checking every checksum and decompressing snappy records.
 *
 *     const r = WalReader.open({ dir });
 *     while (r.next()) handle(r.record());
 *     if (r.err()) …; r.close();
 *
 * Reads are synchronous (it runs at startup replay, before anything else needs the event loop). Each segment is
 * read up to the size it had when the reader reached it. A record never spans two segments: one that a segment
 * ends in the middle of is a torn record (`WalCorruptionError`) of that segment.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32c } from '../encoding/crc32c.ts';
import { WalCorruptionError, WalIoError, WalUnsupportedError } from './errors.ts';
import {
  FRAGMENT_TYPE_MASK,
  FragmentType,
  FRAGMENT_HEADER_SIZE_BYTES as HEADER,
  PAGE_SIZE_BYTES as PAGE,
  SNAPPY_FLAG,
  UNKNOWN_FLAGS_MASK,
  ZSTD_FLAG,
} from './format.ts';
import { listSegments } from './segments.ts';
import { snappyDecode } from './snappy-decode.ts';

/** Segments of one directory to read, `first` to `last` inclusive; either bound may be left open. */
export interface SegmentRange {
  readonly dir: string;
  readonly first?: number;
  readonly last?: number;
}

/** One segment file to read. */
export interface SegmentSource {
  readonly dir: string;
  readonly index: number;
  readonly path: string;
}

export type WalReadError = WalCorruptionError | WalUnsupportedError | WalIoError;

const READ_BYTES = 16 * PAGE;

export class WalReader {
  private readonly sources: readonly SegmentSource[];
  private next_ = 0;
  private source: SegmentSource | null = null;
  private fd = -1;
  private size = 0;
  private pos = 0;
  private readonly buf: Uint8Array = new Uint8Array(READ_BYTES);
  private bufStart = 0;
  private bufLen = 0;
  private recBuf: Uint8Array = new Uint8Array(PAGE);
  private recLen = 0;
  private decBuf: Uint8Array = new Uint8Array(PAGE);
  private rec: Uint8Array = new Uint8Array(0);
  private recSegment = -1;
  private recStart = 0;
  private recEnd = 0;
  private error: WalReadError | null = null;
  private done = false;

  /**
   * A reader over the segments of each range, in the order given (a checkpoint's range first, then `wal/`).
   * @throws WalSegmentGapError, WalIoError when a directory cannot be listed or has a gap.
   */
  static open(ranges: SegmentRange | readonly SegmentRange[]): WalReader {
    const sources: SegmentSource[] = [];
    for (const r of Array.isArray(ranges) ? ranges : [ranges]) {
      for (const s of listSegments(r.dir)) {
        if (r.first !== undefined && s.index < r.first) continue;
        if (r.last !== undefined && s.index > r.last) break;
        sources.push({ dir: r.dir, index: s.index, path: s.path });
      }
    }
    return new WalReader(sources);
  }

  constructor(sources: readonly SegmentSource[]) {
    this.sources = sources;
  }

  /**
   * Advances to the next record. False at the end of the last segment or at the first error (then `err()`
   * says which); after false, it stays false.
   */
  next(): boolean {
    if (this.done) return false;
    this.recLen = 0;
    let inRecord = false;
    let compressed = false;
    let start = 0;
    for (;;) {
      if (this.source === null && !this.openNextSegment()) return false;
      const pos = this.pos;
      if (pos >= this.size) {
        if (inRecord) return this.corrupt(start, 'last record is torn: the segment ends inside it');
        this.closeSegment();
        continue;
      }
      const pageStart = pos - (pos % PAGE);
      if (!this.load(pageStart)) return false;
      if (pos >= this.size) continue;
      const buf = this.buf;
      const o = pos - this.bufStart;
      const head = buf[o] as number;

      if (head === FragmentType.PageTerm) {
        const end = Math.min(pageStart + PAGE, this.size) - this.bufStart;
        for (let i = o + 1; i < end; i++) {
          if (buf[i] !== 0) return this.corrupt(pos, `non-zero byte in page padding at ${this.bufStart + i}`);
        }
        this.pos = pageStart + PAGE;
        continue;
      }

      const at = inRecord ? start : pos;
      if (pos - pageStart > PAGE - HEADER) return this.corrupt(at, 'fragment header crosses a page boundary');
      if (pos + HEADER > this.size) return this.corrupt(at, 'torn fragment header');
      if (head & UNKNOWN_FLAGS_MASK) return this.corrupt(at, `unknown flag bits in fragment type byte 0x${hex(head)}`);
      const length = ((buf[o + 1] as number) << 8) | (buf[o + 2] as number);
      const crc =
        (((buf[o + 3] as number) << 24) |
          ((buf[o + 4] as number) << 16) |
          ((buf[o + 5] as number) << 8) |
          (buf[o + 6] as number)) >>>
        0;
      if (pos - pageStart + HEADER + length > PAGE)
        return this.corrupt(at, `fragment length ${length} overruns its page`);
      if (pos + HEADER + length > this.size) return this.corrupt(at, 'torn fragment: the segment ends inside it');
      const actual = crc32c(buf, o + HEADER, o + HEADER + length);
      if (actual !== crc) return this.corrupt(at, `checksum mismatch: 0x${hex(actual)}, header says 0x${hex(crc)}`);
      if (head & ZSTD_FLAG)
        return this.fail(new WalUnsupportedError(this.dirOf(), this.indexOf(), at, 'zstd compression'));

      const type = head & FRAGMENT_TYPE_MASK;
      const snappy = (head & SNAPPY_FLAG) !== 0;
      if (type === FragmentType.Full || type === FragmentType.First) {
        if (inRecord)
          return this.corrupt(start, `${type === FragmentType.Full ? 'full' : 'first'} fragment inside a record`);
        inRecord = true;
        start = pos;
        compressed = snappy;
      } else if (type === FragmentType.Middle || type === FragmentType.Last) {
        if (!inRecord)
          return this.corrupt(pos, `${type === FragmentType.Middle ? 'middle' : 'last'} fragment without a first`);
        if (snappy !== compressed) return this.corrupt(start, 'compression flag differs between fragments of a record');
      } else {
        return this.corrupt(at, `invalid fragment type ${type}`);
      }
      this.pos = pos + HEADER + length;

      const dataStart = o + HEADER;
      if (type === FragmentType.Full) {
        this.rec = buf.subarray(dataStart, dataStart + length);
      } else {
        this.append(buf, dataStart, dataStart + length);
        if (type !== FragmentType.Last) continue;
        this.rec = this.recBuf.subarray(0, this.recLen);
      }
      if (compressed) {
        const out = snappyDecode(this.rec, this.decBuf);
        if (out instanceof Error) return this.corrupt(start, out.message);
        if (out.buffer !== this.decBuf.buffer) this.decBuf = new Uint8Array(out.buffer);
        this.rec = out;
      }
      this.recSegment = this.indexOf();
      this.recStart = start;
      this.recEnd = this.pos;
      return true;
    }
  }

  /** The current record's bytes. Valid until the next `next()` or `close()`. */
  record(): Uint8Array {
    return this.rec;
  }

  /** The index of the segment holding the current record. */
  segment(): number {
    return this.recSegment;
  }

  /** Byte offset, in its segment, of the current record's first fragment. */
  recordOffset(): number {
    return this.recStart;
  }

  /** Byte offset, in its segment, just past the current record's last fragment. */
  offset(): number {
    return this.recEnd;
  }

  /** Why `next()` stopped early, or null after a clean end. */
  err(): WalReadError | null {
    return this.error;
  }

  /** Releases the open segment. Idempotent; `next()` answers false afterwards. */
  close(): void {
    this.closeSegment();
    this.done = true;
  }

  private openNextSegment(): boolean {
    const src = this.sources[this.next_++];
    if (src === undefined) {
      this.done = true;
      return false;
    }
    try {
      this.fd = openSync(src.path, 'r');
      this.size = fstatSync(this.fd).size;
    } catch (cause) {
      this.closeSegment();
      return this.fail(new WalIoError(src.path, 'open segment', { cause }));
    }
    this.source = src;
    this.pos = 0;
    this.bufStart = 0;
    this.bufLen = 0;
    return true;
  }

  private closeSegment(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // A read-only descriptor: nothing was written that a failed close could lose.
      }
    }
    this.fd = -1;
    this.source = null;
  }

  /** Makes sure the page at `pageStart` (as much of it as the file has) is in `buf`. */
  private load(pageStart: number): boolean {
    const pageEnd = Math.min(pageStart + PAGE, this.size);
    if (pageStart >= this.bufStart && pageEnd <= this.bufStart + this.bufLen) return true;
    const want = Math.min(READ_BYTES, this.size - pageStart);
    let got = 0;
    try {
      while (got < want) {
        const n = readSync(this.fd, this.buf, got, want - got, pageStart + got);
        if (n === 0) break;
        got += n;
      }
    } catch (cause) {
      return this.fail(new WalIoError(this.source?.path ?? '', 'read segment', { cause }));
    }
    this.bufStart = pageStart;
    this.bufLen = got;
    // The file shrank under us: read what is there as if that were its size.
    if (got < want) this.size = pageStart + got;
    return true;
  }

  private append(src: Uint8Array, start: number, end: number): void {
    const need = this.recLen + end - start;
    if (need > this.recBuf.length) {
      let n = this.recBuf.length * 2;
      while (n < need) n *= 2;
      const next = new Uint8Array(n);
      next.set(this.recBuf.subarray(0, this.recLen));
      this.recBuf = next;
    }
    this.recBuf.set(src.subarray(start, end), this.recLen);
    this.recLen = need;
  }

  private dirOf(): string {
    return this.source?.dir ?? '';
  }

  private indexOf(): number {
    return this.source?.index ?? -1;
  }

  private corrupt(offset: number, reason: string): false {
    return this.fail(new WalCorruptionError(this.dirOf(), this.indexOf(), offset, reason));
  }

  private fail(err: WalReadError): false {
    this.error = err;
    this.closeSegment();
    this.done = true;
    return false;
  }
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
