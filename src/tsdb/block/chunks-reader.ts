/**
 * Reads chunks by ref from a block's segment files (docs/format/chunks.md). Segments are the files of the
 * directory whose names are decimal numbers, in numeric order; a ref's segment index counts from 0 in that
 * order, as in Prometheus.
 *
 * Memory: segments stay on disk and are read with pread through one 256 KiB window per reader, so reading the
 * chunks of consecutive series (a select, a compaction) costs one system call per window; `chunk()` returns a
 * copy of the data, valid after later reads. `close()` releases the file descriptors. Not for concurrent use
 * from several threads (vigil reads from one).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '../encoding/crc32c.ts';
import {
  CHUNK_CRC_BYTES,
  CHUNK_ENCODING_BYTES,
  CHUNKS_MAGIC,
  CHUNKS_VERSION,
  refOffset,
  refSegment,
  SEGMENT_HEADER_BYTES,
} from './chunks-format.ts';
import { Decbuf } from './encoding.ts';
import { BlockCorruptionError } from './errors.ts';
import type { ChunkBytes } from './types.ts';

export interface ChunkReaderOptions {
  /** Check each chunk's CRC32C when it is read. @default true */
  verifyChecksums?: boolean;
}

interface Segment {
  path: string;
  fd: number;
  size: number;
}

const windowBytes = 256 * 1024;

export class ChunkReader {
  private readonly verify: boolean;
  private window = Buffer.alloc(windowBytes);
  /** Which segment and byte range the window holds. */
  private windowSegment = -1;
  private windowStart = 0;
  private windowLength = 0;
  private closed = false;

  private constructor(
    /** The chunks directory. */
    readonly dir: string,
    private readonly segments: readonly Segment[],
    options: ChunkReaderOptions,
  ) {
    this.verify = options.verifyChecksums ?? true;
  }

  /** Reads every segment of `dir`, checking each header. Throws BlockCorruptionError, or the fs error. */
  static async open(dir: string, options: ChunkReaderOptions = {}): Promise<ChunkReader> {
    const names = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    const segments: Segment[] = [];
    try {
      for (const n of names) {
        const path = join(dir, n);
        const fd = openSync(path, 'r');
        const size = fstatSync(fd).size;
        segments.push({ path, fd, size });
        const header = Buffer.alloc(Math.min(size, SEGMENT_HEADER_BYTES));
        readSync(fd, header, 0, header.length, 0);
        checkHeader(path, header);
      }
    } catch (err) {
      for (const s of segments) closeSync(s.fd);
      throw err;
    }
    return new ChunkReader(dir, segments, options);
  }

  /** Total size of the segments in bytes. */
  get size(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /** Number of segment files. */
  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * The chunk at `ref`: its encoding byte and a view of its data (not copied; valid for as long as it is held,
   * since the reader never overwrites a window it read). Throws
   * BlockCorruptionError, naming the segment and the chunk's offset, when the ref points outside the segments,
   * the chunk runs past its segment, or its checksum does not match.
   */
  chunk(ref: number): ChunkBytes {
    const index = refSegment(ref);
    const seg = this.segments[index];
    const offset = refOffset(ref);
    if (seg === undefined) {
      const reason = `chunk ref ${ref}: no segment ${index} among ${this.segments.length}`;
      throw new BlockCorruptionError(this.dir, offset, reason);
    }
    if (offset < SEGMENT_HEADER_BYTES || offset >= seg.size) {
      throw new BlockCorruptionError(seg.path, offset, `chunk ref ${ref}: offset outside the segment`);
    }
    // The length varint is at most 10 bytes; read it, then the chunk, from the window.
    let b = this.read(index, seg, offset, Math.min(10, seg.size - offset));
    let at = offset - this.windowStart;
    const d = new Decbuf(b, at, at + Math.min(10, seg.size - offset));
    const len = d.uvarint();
    d.check(seg.path, 'chunk length');
    const head = d.pos - at;
    const total = head + CHUNK_ENCODING_BYTES + len + CHUNK_CRC_BYTES;
    if (offset + total > seg.size) {
      throw new BlockCorruptionError(seg.path, offset, `chunk of ${len} bytes runs past the end of the segment`);
    }
    b = this.read(index, seg, offset, total);
    at = offset - this.windowStart;
    const start = at + head;
    const end = start + CHUNK_ENCODING_BYTES + len;
    if (this.verify && crc32c(b, start, end) !== b.readUInt32BE(end)) {
      throw new BlockCorruptionError(seg.path, offset, 'checksum mismatch in chunk');
    }
    // A view, not a copy: a window is never overwritten (a miss reads into a new one), so the view stays valid.
    return { encoding: b[start] as number, data: b.subarray(start + CHUNK_ENCODING_BYTES, end) };
  }

  /** Closes the segment files. Idempotent; `chunk()` must not be called afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.segments) closeSync(s.fd);
  }

  /** The window, holding `[offset, offset + length)` of segment `index`. */
  private read(index: number, seg: Segment, offset: number, length: number): Buffer {
    if (
      index === this.windowSegment &&
      offset >= this.windowStart &&
      offset + length <= this.windowStart + this.windowLength
    ) {
      return this.window;
    }
    // A fresh buffer per window: chunk views handed out earlier keep the old one alive and unchanged.
    this.window = Buffer.allocUnsafe(Math.max(windowBytes, length));
    const want = Math.min(this.window.length, seg.size - offset);
    let got = 0;
    while (got < want) {
      const n = readSync(seg.fd, this.window, got, want - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    this.windowSegment = index;
    this.windowStart = offset;
    this.windowLength = got;
    return this.window;
  }
}

function checkHeader(path: string, b: Buffer): void {
  if (b.length < SEGMENT_HEADER_BYTES) {
    throw new BlockCorruptionError(path, 0, `segment of ${b.length} bytes is shorter than its header`);
  }
  const magic = b.readUInt32BE(0);
  if (magic !== CHUNKS_MAGIC) throw new BlockCorruptionError(path, 0, `invalid magic number 0x${magic.toString(16)}`);
  if (b[4] !== CHUNKS_VERSION) throw new BlockCorruptionError(path, 4, `unsupported chunks version ${b[4]}`);
}
