/** Column-wise float samples, as Samples records carry them. */

/** What the encoder reads: `length` samples in parallel columns. */
export interface SampleColumns {
  readonly length: number;
  /** Series references, 0 ≤ ref ≤ 2^53 − 1. */
  readonly refs: ArrayLike<number>;
  /** Milliseconds since the Unix epoch, integers. */
  readonly timestampsMs: ArrayLike<number>;
  /**
   * Values. A typed array so that their bits are copied, never read as JS numbers: NaN payloads such as the
   * staleness marker 0x7ff0000000000002 survive encode and decode unchanged.
   */
  readonly values: Float64Array;
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A growable, reusable set of sample columns. The decoder appends to it; `clear()` empties it without freeing.
 * The column arrays are replaced when the batch grows: read them after decoding, not before.
 * Only indexes below `length` are meaningful.
 */
export class SampleBatch implements SampleColumns {
  length = 0;
  refs: Float64Array;
  timestampsMs: Float64Array;
  values: Float64Array;
  /** The bytes of `values`, host byte order; replaced together with `values`. */
  valueBytes: Uint8Array;

  constructor(capacity = 256) {
    const n = Math.max(1, capacity);
    this.refs = new Float64Array(n);
    this.timestampsMs = new Float64Array(n);
    this.values = new Float64Array(n);
    this.valueBytes = new Uint8Array(this.values.buffer);
  }

  get capacity(): number {
    return this.refs.length;
  }

  clear(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more samples beyond `length`. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.refs.length) return;
    let n = this.refs.length * 2;
    while (n < need) n *= 2;
    this.refs = grow(this.refs, n, this.length);
    this.timestampsMs = grow(this.timestampsMs, n, this.length);
    this.values = grow(this.values, n, this.length);
    this.valueBytes = new Uint8Array(this.values.buffer);
  }

  /** Appends one sample. `value` passes through a JS number; use `appendBits` to set exact NaN payloads. */
  append(ref: number, timestampMs: number, value: number): void {
    this.reserve(1);
    const i = this.length++;
    this.refs[i] = ref;
    this.timestampsMs[i] = timestampMs;
    this.values[i] = value;
  }

  /** Appends one sample whose value is given as its IEEE 754 bits (`hi` = the sign/exponent word). */
  appendBits(ref: number, timestampMs: number, hi: number, lo: number): void {
    this.reserve(1);
    const i = this.length++;
    this.refs[i] = ref;
    this.timestampsMs[i] = timestampMs;
    writeBits(this.valueBytes, i * 8, hi, lo);
  }

  /** The high 32 bits (sign, exponent, top of the fraction) of value `i`. */
  valueHighBits(i: number): number {
    const b = this.valueBytes;
    const o = i * 8;
    return hostLittleEndian
      ? ((b[o + 7] as number) << 24) | ((b[o + 6] as number) << 16) | ((b[o + 5] as number) << 8) | (b[o + 4] as number)
      : ((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number);
  }

  /** The low 32 bits of value `i`'s fraction. */
  valueLowBits(i: number): number {
    const b = this.valueBytes;
    const o = i * 8;
    return (
      (hostLittleEndian
        ? ((b[o + 3] as number) << 24) | ((b[o + 2] as number) << 16) | ((b[o + 1] as number) << 8) | (b[o] as number)
        : ((b[o + 4] as number) << 24) |
          ((b[o + 5] as number) << 16) |
          ((b[o + 6] as number) << 8) |
          (b[o + 7] as number)) >>> 0
    );
  }
}

function grow(a: Float64Array, n: number, used: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a.subarray(0, used));
  return b;
}

function writeBits(bytes: Uint8Array, o: number, hi: number, lo: number): void {
  if (hostLittleEndian) {
    bytes[o] = lo;
    bytes[o + 1] = lo >>> 8;
    bytes[o + 2] = lo >>> 16;
    bytes[o + 3] = lo >>> 24;
    bytes[o + 4] = hi;
    bytes[o + 5] = hi >>> 8;
    bytes[o + 6] = hi >>> 16;
    bytes[o + 7] = hi >>> 24;
  } else {
    bytes[o] = hi >>> 24;
    bytes[o + 1] = hi >>> 16;
    bytes[o + 2] = hi >>> 8;
    bytes[o + 3] = hi;
    bytes[o + 4] = lo >>> 24;
    bytes[o + 5] = lo >>> 16;
    bytes[o + 6] = lo >>> 8;
    bytes[o + 7] = lo;
  }
}

/**
 * Copies the 8 bytes of a big-endian float64 at `src[s]` into host-order float64 storage at `dst[d]`, bit for
 * bit; the same byte swap takes host order back to big-endian.
 */
export function copyFloat64FromBE(src: Uint8Array, s: number, dst: Uint8Array, d: number): void {
  if (hostLittleEndian) {
    dst[d] = src[s + 7] as number;
    dst[d + 1] = src[s + 6] as number;
    dst[d + 2] = src[s + 5] as number;
    dst[d + 3] = src[s + 4] as number;
    dst[d + 4] = src[s + 3] as number;
    dst[d + 5] = src[s + 2] as number;
    dst[d + 6] = src[s + 1] as number;
    dst[d + 7] = src[s] as number;
  } else {
    dst.set(src.subarray(s, s + 8), d);
  }
}
