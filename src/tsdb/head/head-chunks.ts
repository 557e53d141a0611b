/**
 * Head chunk files, `chunks_head/000001…`: full chunks of the head, written once they are cut so that memory
 * does not grow with history, and read back on demand. The format is Prometheus' (docs/format/head-chunks.md):
 * an 8-byte header, then records `series ref | mint | maxt | encoding | uvarint len | data | CRC-32C`, and a
 * record starting with 24 zero bytes (or the end of the file) ends the data.
 *
 * A chunk ref is `file sequence * 2^32 + byte offset of the record`. Writes are buffered; `flush()` hands
 * them to the OS and `sync()` also fsyncs. The files are an optimisation on top of the WAL: on a crash the
 * unflushed tail is lost and replayed from the WAL, and a torn last record is cut away at open.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log/index.ts';
import { crc32c } from '../encoding/crc32c.ts';
import { HeadChunkCorruptionError } from './errors.ts';

export const headChunksMagic = 0x0130bc91;
export const headChunksVersion = 1;
export const headerSize = 8;
/** series ref (8) + mint (8) + maxt (8). */
const prefixSize = 24;
/** prefix + encoding (1) + the longest uvarint of a length (5) + CRC (4). */
export const maxMetaSize = prefixSize + 1 + 5 + 4;
/** Files are cut before they would pass this size. */
export const maxFileSize = 128 * 1024 * 1024;
const writeBufferSize = 1024 * 1024;

export interface HeadChunk {
  readonly seriesRef: number;
  readonly mint: number;
  readonly maxt: number;
  readonly encoding: number;
  /** The chunk's bytes; a copy owned by the caller. */
  readonly data: Uint8Array;
}

interface FileState {
  seq: number;
  path: string;
  fd: number;
  /** Bytes of valid records, header included (for the file being written: flushed bytes). */
  size: number;
  /** Newest maxt among its chunks, for truncation. */
  maxt: number;
}

const fileName = (seq: number) => String(seq).padStart(6, '0');

export class HeadChunkFiles {
  private readonly files = new Map<number, FileState>();
  private current: FileState | undefined;
  private buffer = Buffer.alloc(writeBufferSize);
  private buffered = 0;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens the files in `dir` (created when missing), checking headers, and cuts a torn or corrupt tail off
   * the last file with a warning. Corruption before the last file throws HeadChunkCorruptionError; the
   * caller may then delete the files from that one on (`deleteFrom`) and rely on the WAL.
   */
  static open(dir: string, logger: Logger): HeadChunkFiles {
    const h = new HeadChunkFiles(dir, logger);
    const seqs = readdirSync(dir)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      const path = join(dir, fileName(seq));
      if (statSync(path).size === 0 && seq === seqs.at(-1)) {
        unlinkSync(path);
        continue;
      }
      const fd = openSync(path, 'r');
      h.files.set(seq, { seq, path, fd, size: statSync(path).size, maxt: Number.NEGATIVE_INFINITY });
    }
    return h;
  }

  /**
   * Calls `fn` for every chunk on disk, oldest file first, validating each record; sets each file's maxt.
   * Call once after open, before writing.
   */
  iterate(fn: (chunkRef: number, seriesRef: number, mint: number, maxt: number, numSamples: number) => void): void {
    const seqs = [...this.files.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const f = this.files.get(seq) as FileState;
      const bytes = readWhole(f);
      const end = this.scan(f, bytes, seq === seqs.at(-1), fn);
      f.size = end;
    }
  }

  private scan(f: FileState, bytes: Buffer, last: boolean, fn: Parameters<HeadChunkFiles['iterate']>[0]): number {
    const fail = (offset: number, reason: string): number => {
      if (!last) throw new HeadChunkCorruptionError(f.path, offset, reason);
      this.logger.warn('head chunk file has a torn or corrupt tail: cutting it off (the WAL still has those samples)', {
        file: f.path,
        offset,
        reason,
      });
      closeSync(f.fd);
      truncateSync(f.path, offset);
      f.fd = openSync(f.path, 'r');
      return offset;
    };
    if (bytes.length < headerSize) return fail(0, 'file shorter than its header');
    if (bytes.readUInt32BE(0) !== headChunksMagic) return fail(0, `bad magic 0x${bytes.readUInt32BE(0).toString(16)}`);
    if (bytes[4] !== headChunksVersion) return fail(4, `unknown version ${bytes[4]}`);
    let i = headerSize;
    while (i < bytes.length) {
      if (bytes.length - i < prefixSize || isZero(bytes, i, i + prefixSize)) {
        return isZero(bytes, i, bytes.length) ? i : fail(i, 'partial record at the end');
      }
      const seriesRef = readU64(bytes, i);
      const mint = readI64(bytes, i + 8);
      const maxt = readI64(bytes, i + 16);
      const lenAt = i + prefixSize + 1;
      const [len, n] = readUvarint(bytes, lenAt);
      if (n <= 0) return fail(i, 'bad chunk length');
      const dataAt = lenAt + n;
      if (dataAt + len + 4 > bytes.length) return fail(i, 'record runs past the end of the file');
      const want = bytes.readUInt32BE(dataAt + len);
      if (crc32c(bytes, i, dataAt + len) !== want) return fail(i, 'checksum mismatch');
      const numSamples = len >= 2 ? bytes.readUInt16BE(dataAt) : 0;
      if (maxt > f.maxt) f.maxt = maxt;
      fn(f.seq * 2 ** 32 + i, seriesRef, mint, maxt, numSamples);
      i = dataAt + len + 4;
    }
    return i;
  }

  /** Appends a chunk; returns its ref. The chunk is readable at once (from the write buffer until flushed). */
  write(seriesRef: number, mint: number, maxt: number, encoding: number, data: Uint8Array): number {
    if (this.closed) throw new Error('head chunk files are closed');
    const recordSize = prefixSize + 1 + uvarintSize(data.length) + data.length + 4;
    if (this.current === undefined || this.current.size + this.buffered + recordSize > maxFileSize) this.cut();
    const f = this.current as FileState;
    if (this.buffered + recordSize > this.buffer.length) {
      this.flush();
      if (recordSize > this.buffer.length) this.buffer = Buffer.alloc(recordSize);
    }
    const ref = f.seq * 2 ** 32 + f.size + this.buffered;
    const b = this.buffer;
    let o = this.buffered;
    writeU64(b, o, seriesRef);
    writeI64(b, o + 8, mint);
    writeI64(b, o + 16, maxt);
    b[o + 24] = encoding;
    o = writeUvarint(b, o + 25, data.length);
    b.set(data, o);
    o += data.length;
    b.writeUInt32BE(crc32c(b, this.buffered, o), o);
    this.buffered = o + 4;
    if (maxt > f.maxt) f.maxt = maxt;
    return ref;
  }

  /** Reads a chunk by ref. Throws HeadChunkCorruptionError for a bad ref or a damaged record. */
  read(ref: number): HeadChunk {
    const seq = Math.floor(ref / 2 ** 32);
    const offset = ref % 2 ** 32;
    const f = this.files.get(seq);
    if (f === undefined)
      throw new HeadChunkCorruptionError(join(this.dir, fileName(seq)), offset, 'no such head chunk file');
    let bytes: Buffer;
    let at: number;
    if (f === this.current && offset >= f.size) {
      bytes = this.buffer.subarray(0, this.buffered);
      at = offset - f.size;
    } else {
      bytes = Buffer.alloc(Math.min(512, Math.max(0, f.size - offset)));
      readSync(f.fd, bytes, 0, bytes.length, offset);
      at = 0;
    }
    const [len, n] = readUvarint(bytes, at + prefixSize + 1);
    const end = at + prefixSize + 1 + n + len + 4;
    if (n <= 0 || offset + (end - at) > f.size + (f === this.current ? this.buffered : 0)) {
      throw new HeadChunkCorruptionError(f.path, offset, 'chunk ref does not point at a record');
    }
    if (end > bytes.length) {
      bytes = Buffer.alloc(end - at);
      readSync(f.fd, bytes, 0, bytes.length, offset);
      at = 0;
    }
    const dataAt = at + prefixSize + 1 + n;
    if (crc32c(bytes, at, dataAt + len) !== bytes.readUInt32BE(dataAt + len)) {
      throw new HeadChunkCorruptionError(f.path, offset, 'checksum mismatch');
    }
    return {
      seriesRef: readU64(bytes, at),
      mint: readI64(bytes, at + 8),
      maxt: readI64(bytes, at + 16),
      encoding: bytes[at + 24] as number,
      data: new Uint8Array(bytes.subarray(dataAt, dataAt + len)),
    };
  }

  /** Writes buffered records to the current file (no fsync). */
  flush(): void {
    if (this.current === undefined || this.buffered === 0) return;
    writeAll(this.current.fd, this.buffer, this.buffered, this.current.size);
    this.current.size += this.buffered;
    this.buffered = 0;
  }

  /** Flushes and fsyncs the current file. */
  sync(): void {
    this.flush();
    if (this.current) fsyncSync(this.current.fd);
  }

  /** Deletes the files whose chunks all end before `mint`, except the one being written. */
  truncateBefore(mint: number): number {
    let removed = 0;
    for (const [seq, f] of [...this.files].sort((a, b) => a[0] - b[0])) {
      if (f === this.current || f.maxt >= mint) break;
      closeSync(f.fd);
      unlinkSync(f.path);
      this.files.delete(seq);
      removed++;
    }
    return removed;
  }

  /** Deletes the file `seq` and every later one (after corruption). */
  deleteFrom(seq: number): void {
    for (const [s, f] of this.files) {
      if (s < seq) continue;
      closeSync(f.fd);
      unlinkSync(f.path);
      this.files.delete(s);
      if (f === this.current) this.current = undefined;
    }
  }

  /** Bytes on disk. */
  sizeBytes(): number {
    let n = this.buffered;
    for (const f of this.files.values()) n += f.size;
    return n;
  }

  /** Flushes, fsyncs and closes. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.sync();
    for (const f of this.files.values()) closeSync(f.fd);
    this.closed = true;
  }

  private cut(): void {
    if (this.current) {
      this.sync();
      const done = this.current;
      closeSync(done.fd);
      done.fd = openSync(done.path, 'r');
    }
    const seq = Math.max(0, ...this.files.keys()) + 1;
    const path = join(this.dir, fileName(seq));
    const fd = openSync(path, 'w+');
    const header = Buffer.alloc(headerSize);
    header.writeUInt32BE(headChunksMagic, 0);
    header[4] = headChunksVersion;
    writeAll(fd, header, headerSize, 0);
    const f: FileState = { seq, path, fd, size: headerSize, maxt: Number.NEGATIVE_INFINITY };
    this.files.set(seq, f);
    this.current = f;
  }
}

function readWhole(f: FileState): Buffer {
  const bytes = Buffer.alloc(f.size);
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(f.fd, bytes, done, bytes.length - done, done);
    if (n === 0) break;
    done += n;
  }
  return bytes.subarray(0, done);
}

function writeAll(fd: number, buf: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buf, done, length - done, position + done);
}

function isZero(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

function readU64(b: Buffer, at: number): number {
  return b.readUInt32BE(at) * 2 ** 32 + b.readUInt32BE(at + 4);
}

function readI64(b: Buffer, at: number): number {
  return Number(b.readBigInt64BE(at));
}

function writeU64(b: Buffer, at: number, v: number): void {
  b.writeUInt32BE(Math.floor(v / 2 ** 32), at);
  b.writeUInt32BE((v % 2 ** 32) >>> 0, at + 4);
}

function writeI64(b: Buffer, at: number, v: number): void {
  b.writeBigInt64BE(BigInt(v), at);
}

function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function writeUvarint(b: Buffer, at: number, v: number): number {
  let o = at;
  while (v >= 0x80) {
    b[o++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  b[o++] = v;
  return o;
}

/** [value, bytes read]; bytes read <= 0 when malformed or truncated. */
function readUvarint(b: Uint8Array, at: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 10 && at + i < b.length; i++) {
    const byte = b[at + i] as number;
    v += (byte & 0x7f) * mul;
    if (byte < 0x80) return [v, i + 1];
    mul *= 128;
  }
  return [0, 0];
}
