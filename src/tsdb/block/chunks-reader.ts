/**
 * Reads chunks by ref from a block's segment files (docs/format/chunks.md). Segments are the files of the
 * directory whose names are decimal numbers, in numeric order; a ref's segment index counts from 0 in that
 * order, as in Prometheus.
 *
 * Memory: every segment is read whole into a Buffer on open (no mmap), so a block's chunks take their size in
 * memory; `chunk()` returns views into those Buffers. Safe for concurrent reads.
 */
import { readdir, readFile } from 'node:fs/promises';
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
  bytes: Buffer;
}

export class ChunkReader {
  private readonly verify: boolean;

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
    for (const n of names) {
      const path = join(dir, n);
      const bytes = await readFile(path);
      checkHeader(path, bytes);
      segments.push({ path, bytes });
    }
    return new ChunkReader(dir, segments, options);
  }

  /** Total size of the segments in bytes. */
  get size(): number {
    return this.segments.reduce((n, s) => n + s.bytes.length, 0);
  }

  /** Number of segment files. */
  get segmentCount(): number {
    return this.segments.length;
  }

  /**
   * The chunk at `ref`: its encoding byte and a view of its data (not copied; valid while the reader is). Throws
   * BlockCorruptionError, naming the segment and the chunk's offset, when the ref points outside the segments,
   * the chunk runs past its segment, or its checksum does not match.
   */
  chunk(ref: number): ChunkBytes {
    const seg = this.segments[refSegment(ref)];
    const offset = refOffset(ref);
    if (seg === undefined) {
      const reason = `chunk ref ${ref}: no segment ${refSegment(ref)} among ${this.segments.length}`;
      throw new BlockCorruptionError(this.dir, offset, reason);
    }
    const b = seg.bytes;
    if (offset < SEGMENT_HEADER_BYTES || offset >= b.length) {
      throw new BlockCorruptionError(seg.path, offset, `chunk ref ${ref}: offset outside the segment`);
    }
    const d = new Decbuf(b, offset, b.length);
    const len = d.uvarint();
    d.check(seg.path, 'chunk length');
    const start = d.pos;
    const end = start + CHUNK_ENCODING_BYTES + len;
    if (end + CHUNK_CRC_BYTES > b.length) {
      throw new BlockCorruptionError(seg.path, offset, `chunk of ${len} bytes runs past the end of the segment`);
    }
    if (this.verify && crc32c(b, start, end) !== b.readUInt32BE(end)) {
      throw new BlockCorruptionError(seg.path, offset, 'checksum mismatch in chunk');
    }
    return { encoding: b[start] as number, data: b.subarray(start + CHUNK_ENCODING_BYTES, end) };
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
