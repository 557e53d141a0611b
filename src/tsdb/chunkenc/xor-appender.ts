import { staleNaNBits } from '../../model/index.ts';
import { BitWriter } from './bit-writer.ts';
import { ChunkFullError, ChunkTimestampRangeError } from './errors.ts';
import { HI, LO, scratchF64, scratchU32 } from './float-bits.ts';
import { MAX_ABS_TIMESTAMP_MS, MAX_LEADING, XOR_HEADER_BYTES, XOR_MAX_SAMPLES } from './xor-format.ts';
import { XorIterator } from './xor-iterator.ts';

/** `leading` before the first value window is written: the next non-zero XOR opens a window. */
const NO_WINDOW = 0xff;

/** The most bits one sample can take: a 10-byte varint and 64 value bits, or 4 + 64 dod bits and 2 + 11 + 64. */
const MAX_SAMPLE_BITS = 145;

const TWO_32 = 4294967296;

/** High word of the staleness marker with the quiet bit V8 sometimes sets. */
const QUIET_STALE_HI = staleNaNBits.hi | 0x00080000;

/**
 * Writes samples into an XOR chunk (Prometheus' `xorAppender`), producing the bytes Prometheus' head produces
 * for the same samples. Samples go in the order given; the chunk does not require increasing timestamps (the
 * head does), though deltas and deltas of deltas take more bits when they are negative or large. Not safe for
 * use while another piece of code appends to the same object; readers must hold a copy or a view taken after
 * their last append.
 */
export class XorAppender {
  private readonly w: BitWriter;
  private num = 0;
  private t = 0;
  private tDelta = 0;
  private vHi = 0;
  private vLo = 0;
  private leading = NO_WINDOW;
  private trailing = 0;
  /** Bits of the chunk after its first two samples (which take more than the rest), or 0 before. */
  private baseBits = 0;

  /**
   * An empty chunk: just the 2-byte sample count, zero. `capacityBytes` pre-sizes the buffer (it grows). With
   * `expectedSamples`, a buffer that must grow is sized for that many samples, projected from the bits per
   * sample so far, instead of half as large again: one move instead of several, which matters to the head,
   * where a new chunk of every series grows at once. `new XorAppender(64, n)` starts on V8's heap (typed arrays
   * of 64 bytes or less live there), so that a chunk's first buffer costs the allocator nothing.
   */
  constructor(
    capacityBytes = 128,
    private readonly expectedSamples = 0,
  ) {
    this.w = new BitWriter(capacityBytes);
    this.w.bitLen = XOR_HEADER_BYTES * 8;
  }

  /**
   * An appender that continues the chunk `bytes` (as read from disk or taken from another appender): its samples
   * are decoded and appended again, so later appends produce exactly the bytes one uninterrupted appender would
   * have produced. `bytes` is copied, never modified. Throws the `ChunkTruncatedError` or `ChunkCorruptionError`
   * a decoder reports for `bytes`.
   *
   * Prometheus' own `XORChunk.Appender()` continues a chunk of one sample, or of samples that all share one value,
   * with an equivalent but different encoding of the next value (it resumes with a 0-wide window instead of
   * opening one). Readers cannot tell; bytes differ. Prometheus' head calls it only on new, empty chunks, so the
   * chunks it writes match an uninterrupted appender, and so do ours.
   */
  static open(bytes: Uint8Array): XorAppender {
    const it = new XorIterator(bytes);
    const app = new XorAppender(Math.max(128, bytes.length + 16));
    while (it.next()) app.appendBits(it.atT(), it.atBitsHi(), it.atBitsLo());
    const err = it.err();
    if (err !== null) throw err;
    return app;
  }

  /** Bytes the chunk can reach before its buffer grows. */
  capacityBytes(): number {
    return this.w.buf.length;
  }

  /** Samples in the chunk, 0 to 65535. */
  numSamples(): number {
    return this.num;
  }

  /**
   * The chunk as it stands: the sample count, then the samples' bits, then 0 to 8 zero bits of padding (see
   * docs/format/xor-chunk.md). A view of the appender's buffer, valid until the next `append`, `appendBits` or
   * `reset`; copy it (`slice()`) to keep it.
   */
  bytes(): Uint8Array {
    return this.w.buf.subarray(0, this.w.byteLength());
  }

  /** Empties the chunk for reuse, keeping the buffer. Views returned by `bytes()` become invalid. */
  reset(): void {
    this.w.truncate(XOR_HEADER_BYTES * 8);
    this.w.buf[0] = 0;
    this.w.buf[1] = 0;
    this.num = 0;
    this.t = 0;
    this.tDelta = 0;
    this.vHi = 0;
    this.vLo = 0;
    this.leading = NO_WINDOW;
    this.trailing = 0;
    this.baseBits = 0;
  }

  /**
   * Appends the sample (`t` in milliseconds, an integer within ±`MAX_ABS_TIMESTAMP_MS`; `v` any float, its 64
   * bits stored as given). V8 sets the quiet bit of a signalling NaN in some paths (plain arrays, Maps), turning
   * the staleness marker 0x7ff0000000000002 into 0x7ff8000000000002; `append` writes that pattern back as the
   * marker, which Prometheus recognises only by its exact bits. Use `appendBits` to store every pattern as is.
   * Throws `ChunkTimestampRangeError` or `ChunkFullError`, leaving the chunk unchanged.
   */
  append(t: number, v: number): void {
    scratchF64[0] = v;
    let hi = scratchU32[HI] as number;
    const lo = scratchU32[LO] as number;
    if (hi === QUIET_STALE_HI && lo === staleNaNBits.lo) hi = staleNaNBits.hi;
    this.appendBits(t, hi, lo);
  }

  /**
   * Appends the sample with timestamp `t` and the value whose IEEE-754 bits are `hi` (bits 63..32) and `lo`
   * (bits 31..0), both taken as uint32. Same contract as `append`, without any NaN rewriting.
   */
  appendBits(t: number, hi: number, lo: number): void {
    if (!(t >= -MAX_ABS_TIMESTAMP_MS && t <= MAX_ABS_TIMESTAMP_MS && Number.isInteger(t))) {
      throw new ChunkTimestampRangeError(t);
    }
    const num = this.num;
    if (num >= XOR_MAX_SAMPLES) throw new ChunkFullError(num);
    const w = this.w;
    if (!w.fits(MAX_SAMPLE_BITS)) w.ensure(MAX_SAMPLE_BITS, this.projectedBytes());
    let tDelta = 0;
    if (num === 0) {
      // Signed varint: zigzag, exact because |t| ≤ 2^51.
      const z = t >= 0 ? t * 2 : -t * 2 - 1;
      w.writeUvarint64(Math.floor(z / TWO_32), z >>> 0);
      w.writeBits(hi, 32);
      w.writeBits(lo, 32);
    } else if (num === 1) {
      tDelta = t - this.t;
      // Uvarint of the delta's 64-bit two's complement (a negative delta takes 10 bytes).
      w.writeUvarint64(Math.floor(tDelta / TWO_32), tDelta >>> 0);
      this.writeValue(hi, lo);
    } else {
      tDelta = t - this.t;
      const dod = tDelta - this.tDelta;
      // DOD_BUCKETS: 0 → '0'; '10' + 14 bits; '110' + 17 bits; '1110' + 20 bits; DOD_PREFIX_FULL + 64 bits.
      if (dod === 0) w.writeBits(0, 1);
      else if (dod >= -8191 && dod <= 8192) w.writeBits((0b10 << 14) | (dod & 0x3fff), 16);
      else if (dod >= -65535 && dod <= 65536) w.writeBits((0b110 << 17) | (dod & 0x1ffff), 20);
      else if (dod >= -524287 && dod <= 524288) w.writeBits((0b1110 << 20) | (dod & 0xfffff), 24);
      else {
        w.writeBits(0b1111, 4);
        w.writeBits(Math.floor(dod / TWO_32), 32);
        w.writeBits(dod >>> 0, 32);
      }
      this.writeValue(hi, lo);
    }
    this.t = t;
    this.tDelta = tDelta;
    this.vHi = hi;
    this.vLo = lo;
    this.num = num + 1;
    if (num === 1) this.baseBits = w.bitLen;
    w.buf[0] = (num + 1) >>> 8;
    w.buf[1] = num + 1;
  }

  /**
   * Bytes for `expectedSamples` samples at the bits per sample seen since the second, with a tenth to spare and
   * room for one more sample; 0 without a hint, before three samples, or past the expected count.
   */
  private projectedBytes(): number {
    const num = this.num;
    const expected = this.expectedSamples;
    if (num < 3 || num >= expected) return 0;
    const perSample = (this.w.bitLen - this.baseBits) / (num - 2);
    const bits = this.baseBits + perSample * (expected - 2) * 1.1 + MAX_SAMPLE_BITS;
    return Math.ceil(bits / 8) + 2;
  }

  private writeValue(hi: number, lo: number): void {
    const w = this.w;
    const xh = hi ^ this.vHi;
    const xl = lo ^ this.vLo;
    if (xh === 0 && xl === 0) {
      w.writeBits(0, 1);
      return;
    }
    let leading = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    if (leading > MAX_LEADING) leading = MAX_LEADING;
    const trailing = xl !== 0 ? 31 - Math.clz32(xl & -xl) : 63 - Math.clz32(xh & -xh);
    if (this.leading !== NO_WINDOW && leading >= this.leading && trailing >= this.trailing) {
      // '10': the XOR fits the previous window.
      w.writeBits(0b10, 2);
      w.writeShifted64(xh, xl, this.trailing, 64 - this.leading - this.trailing);
      return;
    }
    this.leading = leading;
    this.trailing = trailing;
    const significant = 64 - leading - trailing;
    // '11', LEADING_BITS of leading zeros, SIGNIFICANT_BITS of significant bits (64 is written as 0).
    w.writeBits((0b11 << 11) | (leading << 6) | (significant & 0x3f), 13);
    w.writeShifted64(xh, xl, trailing, significant);
  }
}
