import { peek32, readUvarint64, UVARINT_TRUNCATED, uvarintOut } from './bit-reader.ts';
import { ValueType } from './chunk.ts';
import { ChunkCorruptionError, ChunkTruncatedError } from './errors.ts';
import { HI, LO, scratchF64, scratchU32 } from './float-bits.ts';
import { MAX_ABS_TIMESTAMP_MS, XOR_HEADER_BYTES } from './xor-format.ts';

const TWO_32 = 4294967296;
/** High word of 2^53: 64-bit deltas within ±2^53 are exact JS numbers. */
const HI_LIMIT = 0x200000;
const EMPTY = new Uint8Array(0);

/**
 * A cursor over the samples of one XOR chunk (Prometheus' `xorIterator`), in the order they were appended.
 * Reusable: `reset(bytes)` points it at another chunk without allocating. It reads `bytes` in place and keeps no
 * copy, so the bytes must not change while it is in use, except by appends past the samples it was reset with.
 * Never throws on malformed data: `next()`/`seek()` return `ValueType.None` and `err()` says why.
 */
export class XorIterator {
  private b: Uint8Array = EMPTY;
  private len = 0;
  private endBits = 0;
  private pos = 0;
  private numTotal = 0;
  private numRead = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = 0;
  private trailing = 0;
  private error: ChunkTruncatedError | ChunkCorruptionError | null = null;

  /** An iterator over `bytes` (a chunk's data, starting with its sample count), or over nothing. */
  constructor(bytes?: Uint8Array) {
    if (bytes !== undefined) this.reset(bytes);
  }

  /** Restarts the iterator on `bytes`, forgetting the previous chunk and any error. */
  reset(bytes: Uint8Array): void {
    this.b = bytes;
    this.len = bytes.length;
    this.endBits = bytes.length * 8;
    this.pos = XOR_HEADER_BYTES * 8;
    this.numRead = 0;
    this.t = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = 0;
    this.trailing = 0;
    this.error = null;
    if (bytes.length < XOR_HEADER_BYTES) {
      this.numTotal = 0;
      this.error = new ChunkTruncatedError(0, 0, bytes.length);
    } else {
      this.numTotal = ((bytes[0] as number) << 8) | (bytes[1] as number);
    }
  }

  /**
   * Moves to the next sample: `ValueType.Float`, or `ValueType.None` when the chunk is exhausted or broken (then
   * `err()` tells which). After `None`, every later call returns `None`.
   */
  next(): ValueType {
    if (this.numRead >= this.numTotal) return ValueType.None;
    if (this.numRead < 2) return this.readHead();
    const b = this.b;
    const len = this.len;
    const start = this.pos;
    let pos = start;
    // Delta of deltas, see DOD_BUCKETS and DOD_PREFIX_FULL. A payload above 2^(bits-1) is negative.
    const w = peek32(b, pos, len);
    let dod = 0;
    if (w >= 0) {
      // The common case: a regular interval (delta of deltas 0, one bit) followed by an unchanged value or a value
      // that reuses the previous window with at most 29 meaningful bits — all inside the 32 bits just read.
      if ((w & 0x40000000) === 0) return this.accept(start, pos + 2);
      const tr = this.trailing;
      const m = 64 - this.leading - tr;
      if ((w & 0x20000000) === 0 && m <= 29 && this.numRead > 2) {
        const x = (w << 3) >>> (32 - m);
        if (tr >= 32) this.vHi ^= x << (tr - 32);
        else {
          this.vLo ^= x << tr;
          if (tr > 0) this.vHi ^= x >>> (32 - tr);
        }
        return this.accept(start, pos + 3 + m);
      }
      pos += 1;
    } else if ((w & 0x40000000) === 0) {
      dod = (w >>> 16) & 0x3fff;
      if (dod > 0x2000) dod -= 0x4000;
      pos += 16;
    } else if ((w & 0x20000000) === 0) {
      dod = (w >>> 12) & 0x1ffff;
      if (dod > 0x10000) dod -= 0x20000;
      pos += 20;
    } else if ((w & 0x10000000) === 0) {
      dod = (w >>> 8) & 0xfffff;
      if (dod > 0x80000) dod -= 0x100000;
      pos += 24;
    } else {
      if (pos + 68 > this.endBits) return this.truncated(start);
      const hi = peek32(b, pos + 4, len);
      const lo = peek32(b, pos + 36, len) >>> 0;
      if (hi > HI_LIMIT || hi < -HI_LIMIT || (hi === HI_LIMIT && lo !== 0)) {
        return this.fail(start, 'delta of deltas beyond ±2^53');
      }
      dod = hi * TWO_32 + lo;
      pos += 68;
    }
    this.tDelta += dod;
    const t = this.t + this.tDelta;
    pos = this.readValue(b, pos, len);
    if (pos > this.endBits) return this.truncated(start);
    if (t > MAX_ABS_TIMESTAMP_MS || t < -MAX_ABS_TIMESTAMP_MS) return this.fail(start, 'timestamp beyond ±2^51');
    if (pos < 0) return this.fail(start, 'value window wider than 64 bits');
    this.t = t;
    this.pos = pos;
    this.numRead++;
    return ValueType.Float;
  }

  /** Ends `next()` for a sample with an unchanged delta whose value was already applied; `end` is its end bit. */
  private accept(start: number, end: number): ValueType {
    if (end > this.endBits) return this.truncated(start);
    const t = this.t + this.tDelta;
    if (t > MAX_ABS_TIMESTAMP_MS || t < -MAX_ABS_TIMESTAMP_MS) return this.fail(start, 'timestamp beyond ±2^51');
    this.t = t;
    this.pos = end;
    this.numRead++;
    return ValueType.Float;
  }

  /**
   * Moves to the first sample with timestamp ≥ `t` (milliseconds), staying put if the current sample already
   * qualifies. Timestamps in a chunk normally increase; if they do not, this stops at the first qualifying one
   * after the current position. Returns `ValueType.None` when no sample qualifies, leaving the iterator exhausted.
   */
  seek(t: number): ValueType {
    if (this.error !== null) return ValueType.None;
    while (t > this.t || this.numRead === 0) {
      if (this.next() === ValueType.None) return ValueType.None;
    }
    return ValueType.Float;
  }

  /** The current sample's value. Before the first `next()`/`seek()` or after `None`, unspecified. */
  at(): number {
    scratchU32[HI] = this.vHi;
    scratchU32[LO] = this.vLo;
    return scratchF64[0] as number;
  }

  /**
   * Writes the current value's bits into `words` at float index `i` (a Uint32Array view of a Float64Array):
   * the float as stored, NaN payloads included, without a round trip through a JavaScript number.
   */
  writeValue(words: Uint32Array, i: number): void {
    words[2 * i + HI] = this.vHi;
    words[2 * i + LO] = this.vLo;
  }

  /** The current sample's timestamp in milliseconds. Before the first `next()`/`seek()`, unspecified. */
  atT(): number {
    return this.t;
  }

  /** Bits 63..32 of the current value as stored, as a uint32 (exact even for NaN payloads V8 would quiet). */
  atBitsHi(): number {
    return this.vHi >>> 0;
  }

  /** Bits 31..0 of the current value as stored, as a uint32. */
  atBitsLo(): number {
    return this.vLo >>> 0;
  }

  /** Why the last `next()`/`seek()` returned `None`, or null if the chunk simply ended. */
  err(): ChunkTruncatedError | ChunkCorruptionError | null {
    return this.error;
  }

  /** The first two samples: varint timestamp and raw 64-bit value, then uvarint delta and an XORed value. */
  private readHead(): ValueType {
    const b = this.b;
    const len = this.len;
    const start = this.pos;
    const i = readUvarint64(b, start >>> 3, len);
    if (i < 0) return i === UVARINT_TRUNCATED ? this.truncated(start) : this.fail(start, 'varint overflows 64 bits');
    const hi = uvarintOut[1] as number;
    const lo = uvarintOut[0] as number;
    let t: number;
    let pos: number;
    if (this.numRead === 0) {
      if (hi >= HI_LIMIT) return this.fail(start, 'timestamp beyond ±2^51');
      // Undo the zigzag of a signed varint.
      const z = hi * TWO_32 + lo;
      t = lo & 1 ? -(z + 1) / 2 : z / 2;
      pos = i * 8 + 64;
      if (pos > this.endBits) return this.truncated(start);
      this.vHi = peek32(b, i * 8, len);
      this.vLo = peek32(b, i * 8 + 32, len);
    } else {
      // The delta is an int64 written as its uint64 two's complement.
      const signedHi = hi | 0;
      if (signedHi >= HI_LIMIT || signedHi < -HI_LIMIT) return this.fail(start, 'timestamp delta beyond ±2^53');
      this.tDelta = signedHi * TWO_32 + lo;
      t = this.t + this.tDelta;
      pos = this.readValue(b, i * 8, len);
      if (pos > this.endBits) return this.truncated(start);
      if (pos < 0) return this.fail(start, 'value window wider than 64 bits');
    }
    if (t > MAX_ABS_TIMESTAMP_MS || t < -MAX_ABS_TIMESTAMP_MS) return this.fail(start, 'timestamp beyond ±2^51');
    this.t = t;
    this.pos = pos;
    this.numRead++;
    return ValueType.Float;
  }

  /**
   * Decodes an XORed value at bit `pos` into `vHi`/`vLo`; returns the position after it, or -1 for a window of
   * more than 64 bits. A position past the end means the data was cut short: callers check that first.
   */
  private readValue(b: Uint8Array, pos: number, len: number): number {
    const w = peek32(b, pos, len);
    if (w >= 0) return pos + 1;
    if ((w & 0x40000000) === 0) pos += 2;
    else {
      // A cut-off window header reads as zeros; report it as the truncation it is, not as a bad window.
      if (pos + 13 > this.endBits) return pos + 13;
      // '11', LEADING_BITS leading zeros, SIGNIFICANT_BITS significant bits (0 means 64).
      const leading = (w >>> 25) & 0x1f;
      let significant = (w >>> 19) & 0x3f;
      if (significant === 0) significant = 64;
      const trailing = 64 - leading - significant;
      if (trailing < 0) return -1;
      this.leading = leading;
      this.trailing = trailing;
      pos += 13;
    }
    const tr = this.trailing;
    const m = 64 - this.leading - tr;
    if (m <= 32) {
      const x = peek32(b, pos, len) >>> (32 - m);
      if (tr >= 32) this.vHi ^= x << (tr - 32);
      else {
        this.vLo ^= x << tr;
        if (tr > 0) this.vHi ^= x >>> (32 - tr);
      }
    } else {
      const hb = m - 32;
      const xh = peek32(b, pos, len) >>> (32 - hb);
      const xl = peek32(b, pos + hb, len);
      if (tr === 0) {
        this.vHi ^= xh;
        this.vLo ^= xl;
      } else {
        this.vHi ^= (xh << tr) | (xl >>> (32 - tr));
        this.vLo ^= xl << tr;
      }
    }
    return pos + m;
  }

  private truncated(start: number): ValueType {
    this.error = new ChunkTruncatedError(this.numRead, start, this.len);
    this.numTotal = this.numRead;
    return ValueType.None;
  }

  private fail(start: number, reason: string): ValueType {
    this.error = new ChunkCorruptionError(this.numRead, start, reason);
    this.numTotal = this.numRead;
    return ValueType.None;
  }
}
