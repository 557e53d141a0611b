/**
 * Writes a block's chunk segment files `chunks/000001`, `000002`, … (docs/format/chunks.md). Each chunk is
 * `len <uvarint> | encoding <1b> | data | CRC32C(encoding, data) <4b>`; a new segment starts when the next
 * chunk could take the current one past `segmentBytes` (a chunk larger than that gets a segment of its own).
 *
 * Memory: up to about 2 MiB of buffered bytes per segment; the data passed to `write` is copied. Segments stay
 * open until `close()`, which fsyncs them. Not safe for concurrent use.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../encoding/crc32c.ts';
import {
  CHUNK_CRC_BYTES,
  CHUNK_ENCODING_BYTES,
  CHUNKS_MAGIC,
  CHUNKS_VERSION,
  chunkRef,
  DEFAULT_SEGMENT_BYTES,
  MAX_CHUNK_LENGTH_BYTES,
  SEGMENT_HEADER_BYTES,
  segmentName,
} from './chunks-format.ts';
import { BlockWriteError } from './errors.ts';
import { FileSink } from './file-sink.ts';

export interface ChunkWriterOptions {
  /** Largest size of a segment file in bytes, at most 2^32 (refs hold 4-byte offsets). @default 512 MiB */
  segmentBytes?: number;
}

export class ChunkWriter {
  private readonly segments: FileSink[] = [];
  private readonly segmentBytes: number;
  private closed = false;

  private constructor(
    readonly dir: string,
    options: ChunkWriterOptions,
  ) {
    const size = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    if (!Number.isInteger(size) || size <= SEGMENT_HEADER_BYTES || size > 2 ** 32) {
      throw new RangeError(`ChunkWriterOptions.segmentBytes: ${size} is not in (${SEGMENT_HEADER_BYTES}, 2^32]`);
    }
    this.segmentBytes = size;
  }

  /** Creates `dir` when missing; segments are created as chunks come. Throws the fs error when it cannot. */
  static create(dir: string, options: ChunkWriterOptions = {}): ChunkWriter {
    const w = new ChunkWriter(dir, options);
    mkdirSync(dir, { recursive: true });
    return w;
  }

  /** Appends a chunk and returns its ref (segment index × 2^32 + offset). */
  write(encoding: number, data: Uint8Array): number {
    if (this.closed) throw new BlockWriteError(this.dir, 'stage', 'chunk written after close');
    if (!Number.isInteger(encoding) || encoding < 0 || encoding > 255) {
      throw new BlockWriteError(this.dir, 'out-of-range', `chunk encoding ${encoding} is not a byte`);
    }
    const size = MAX_CHUNK_LENGTH_BYTES + CHUNK_ENCODING_BYTES + data.length + CHUNK_CRC_BYTES;
    let seg = this.segments[this.segments.length - 1];
    if (seg === undefined || (seg.pos > SEGMENT_HEADER_BYTES && seg.pos + size > this.segmentBytes)) seg = this.cut();
    const ref = chunkRef(this.segments.length - 1, seg.pos);
    const e = seg.out;
    e.uvarint(data.length);
    const start = e.len;
    e.byte(encoding);
    e.bytes(data);
    e.be32(crc32c(e.buf, start, e.len));
    seg.flushIfFull();
    return ref;
  }

  /** Writes what is buffered, fsyncs and closes every segment. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      for (const s of this.segments) await s.close();
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Closes every segment without finishing it; for error paths. Never throws. */
  async abort(): Promise<void> {
    this.closed = true;
    for (const s of this.segments) await s.abort();
  }

  private cut(): FileSink {
    this.segments[this.segments.length - 1]?.flush();
    const seg = new FileSink(join(this.dir, segmentName(this.segments.length)));
    this.segments.push(seg);
    seg.out.be32(CHUNKS_MAGIC);
    seg.out.byte(CHUNKS_VERSION);
    seg.out.zeros(SEGMENT_HEADER_BYTES - 5);
    return seg;
  }
}
