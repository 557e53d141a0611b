/**
 * Byte buffers for block files, in the manner of Prometheus' `encoding.Encbuf`/`Decbuf`: big-endian
 * fixed-width integers and Go `encoding/binary` varints (unsigned LEB128; signed ones zigzag-encoded).
 *
 * Numbers are JavaScript numbers, so every integer must be exact: unsigned values up to 2^53 − 1, signed ones
 * within ±2^52 (the zigzag form must stay below 2^53). Timestamps in milliseconds stay far inside that range;
 * a file holding larger values is reported as corrupt rather than read inexactly.
 */
import { ByteBuffer } from '../encoding/byte-buffer.ts';
import { crc32c } from '../encoding/crc32c.ts';
import { BlockCorruptionError } from './errors.ts';

const TWO_32 = 4294967296;
/** Largest magnitude a signed varint may have so that its zigzag form is exact. */
export const MAX_SIGNED_VARINT = 2 ** 52 - 1;

/** The block files' write buffer: integers a JavaScript number cannot hold exactly are refused (RangeError). */
export class Encbuf extends ByteBuffer {
  /** Big-endian uint64; `x` must be a safe non-negative integer. */
  be64(x: number): void {
    checkUnsigned(x);
    const hi = Math.floor(x / TWO_32);
    this.be32(hi);
    this.be32(x - hi * TWO_32);
  }

  /** Unsigned varint; `x` must be a safe non-negative integer. */
  override uvarint(x: number): void {
    checkUnsigned(x);
    super.uvarint(x);
  }

  /** Signed (zigzag) varint; `x` must be an integer within ±MAX_SIGNED_VARINT. */
  varint(x: number): void {
    if (!Number.isInteger(x) || Math.abs(x) > MAX_SIGNED_VARINT) throw new RangeError(`varint out of range: ${x}`);
    this.uvarint(x >= 0 ? x * 2 : -x * 2 - 1);
  }
}

function checkUnsigned(x: number): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`unsigned integer out of range: ${x}`);
}

/**
 * A read cursor over `b[pos, end)`, positions being offsets in the whole file. Reads never throw: the first
 * failure is kept in `err` with its offset in `errOffset`, and every later read returns 0 (or '').
 */
export class Decbuf {
  err: string | null = null;
  errOffset = 0;

  constructor(
    readonly b: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(reason: string, at = this.pos): 0 {
    if (this.err === null) {
      this.err = reason;
      this.errOffset = at;
    }
    this.pos = this.end;
    return 0;
  }

  /** Throws the kept failure as a BlockCorruptionError naming `file` and `what` was being read. */
  check(file: string, what: string): void {
    if (this.err !== null) throw new BlockCorruptionError(file, this.errOffset, `${what}: ${this.err}`);
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.fail('unexpected end of data');
    else this.pos += n;
  }

  byte(): number {
    if (this.pos >= this.end) return this.fail('unexpected end of data');
    return this.b[this.pos++] as number;
  }

  be32(): number {
    if (this.end - this.pos < 4) return this.fail('unexpected end of data');
    const v = this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Big-endian uint64 that must not exceed 2^53 − 1. */
  be64(): number {
    if (this.end - this.pos < 8) return this.fail('unexpected end of data');
    const at = this.pos;
    const hi = this.be32();
    const lo = this.be32();
    if (hi > 0x1fffff) return this.fail('64-bit integer exceeds 2^53-1', at);
    return hi * TWO_32 + lo;
  }

  /** Unsigned varint that must not exceed 2^53 − 1. */
  uvarint(): number {
    const b = this.b;
    const at = this.pos;
    let p = at;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) return this.fail('unexpected end of data in varint', at);
      const x = b[p++] as number;
      result += (x & 0x7f) * mul;
      if (x < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) return this.fail('varint exceeds 2^53-1', at);
        this.pos = p;
        return result;
      }
      mul *= 128;
    }
    return this.fail('varint longer than 10 bytes', at);
  }

  /** Signed (zigzag) varint within ±2^52. */
  varint(): number {
    const u = this.uvarint();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  }

  /** A uvarint byte length, then that many bytes of UTF-8 (invalid sequences become U+FFFD). */
  uvarintStr(): string {
    const n = this.uvarint();
    if (n > this.end - this.pos) return this.fail('string runs past the end of data') || '';
    const p = this.pos;
    this.pos = p + n;
    return this.b.toString('utf8', p, p + n);
  }
}

/**
 * Opens the section at `offset` of `b` laid out as `len <4b> | data <len bytes> | CRC32C(data) <4b>` and returns
 * a cursor over its data, after checking bounds and checksum. Throws BlockCorruptionError naming `file`.
 */
export function sectionAt(b: Buffer, offset: number, file: string, what: string): Decbuf {
  if (offset < 0 || offset + 4 > b.length) throw new BlockCorruptionError(file, offset, `${what} starts past the end`);
  const len = b.readUInt32BE(offset);
  return checkedSection(b, offset, offset + 4, len, file, what);
}

/** Like `sectionAt` for sections whose length is a uvarint (index series entries). */
export function uvarintSectionAt(b: Buffer, offset: number, file: string, what: string): Decbuf {
  const d = new Decbuf(b, offset, b.length);
  const len = d.uvarint();
  d.check(file, `${what} length`);
  return checkedSection(b, offset, d.pos, len, file, what);
}

function checkedSection(b: Buffer, offset: number, start: number, len: number, file: string, what: string): Decbuf {
  const end = start + len;
  if (end + 4 > b.length) throw new BlockCorruptionError(file, offset, `${what} of ${len} bytes runs past the end`);
  if (crc32c(b, start, end) !== b.readUInt32BE(end)) {
    throw new BlockCorruptionError(file, offset, `checksum mismatch in ${what}`);
  }
  return new Decbuf(b, start, end);
}
