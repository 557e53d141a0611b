/**
 * Constants of the XOR chunk format; docs/format/xor-chunk.md draws the bits. The appender and iterator inline
 * the same numbers in their hot paths next to a reference to the constant they spell out.
 */

/** Bytes of the big-endian uint16 sample count that starts every XOR chunk. */
export const XOR_HEADER_BYTES = 2;

/** Most samples one chunk can count in its uint16 header. */
export const XOR_MAX_SAMPLES = 0xffff;

/**
 * Largest |timestamp| in milliseconds (2^51, about ±71,000 years around 1970) a chunk accepts or yields.
 * Prometheus stores int64 timestamps; vigil keeps them in JS numbers, which are exact integers up to 2^53.
 * Bounding timestamps by 2^51 keeps the first delta (< 2^52) and every delta of deltas (≤ 2^53) exact too.
 */
export const MAX_ABS_TIMESTAMP_MS = 2 ** 51;

/**
 * Delta-of-delta buckets, tried in order: a `dod` with -(2^(bits-1) - 1) ≤ dod ≤ 2^(bits-1) is written as
 * `prefix` (in `prefixBits` bits) then the low `bits` bits of its two's complement. Note the asymmetry: +2^(bits-1)
 * fits, -2^(bits-1) does not; a decoder reads a payload above 2^(bits-1) as negative. A zero dod is a single 0
 * bit; anything else is `1111` followed by all 64 bits.
 */
export const DOD_BUCKETS = [
  { prefix: 0b10, prefixBits: 2, bits: 14 },
  { prefix: 0b110, prefixBits: 3, bits: 17 },
  { prefix: 0b1110, prefixBits: 4, bits: 20 },
] as const;

/** Prefix of a delta of deltas written in full (64 bits). */
export const DOD_PREFIX_FULL = 0b1111;

/** Width of the leading-zero count in a new value window. Counts of 32 or more are written as 31. */
export const LEADING_BITS = 5;

/** The largest leading-zero count a window can hold. */
export const MAX_LEADING = 31;

/** Width of the significant-bit count in a new value window; 64 significant bits are written as 0. */
export const SIGNIFICANT_BITS = 6;
