/**
 * A shared scratch for moving a float64 to and from its two 32-bit halves without allocating. Synchronous use
 * only: write a half or the float, then read the other form before any other code touches it.
 */

/** The scratch as a float. */
export const scratchF64 = new Float64Array(1);

/** The same 8 bytes as two uint32 words; index with `HI` and `LO`. */
export const scratchU32 = new Uint32Array(scratchF64.buffer);

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Index in `scratchU32` of bits 63..32 (sign, exponent, top of the mantissa). */
export const HI = littleEndian ? 1 : 0;

/** Index in `scratchU32` of bits 31..0. */
export const LO = littleEndian ? 0 : 1;
