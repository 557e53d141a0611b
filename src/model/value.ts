/** Sample values: float64, with Prometheus' staleness marker, a NaN with a fixed bit pattern. */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const hiWord = little ? 1 : 0;
const loWord = little ? 0 : 1;

/** The high and low 32 bits of the staleness marker 0x7ff0000000000002. */
export const staleNaNBits = { hi: 0x7ff00000, lo: 0x00000002 } as const;

/** The staleness marker: written when a series disappears from a scrape; ends the series for queries. */
export const staleNaN: number = (() => {
  u32[hiWord] = staleNaNBits.hi;
  u32[loWord] = staleNaNBits.lo;
  return f64[0] as number;
})();

/**
 * Whether `v` is the staleness marker. V8 may rewrite NaN payloads when it stores a number in a plain array
 * (seen: 0x7ff0000000000002 became 0x7ff8000000000002, and once 0x7ff8000000000000), so sample values must
 * live in typed arrays or locals, never in plain arrays. The quieted form still counts here; Go's NaN
 * (0x7ff8000000000001) and arithmetic NaNs do not. Disk writers write the exact bits of `staleNaNBits`.
 */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  f64[0] = v;
  return u32[loWord] === staleNaNBits.lo && (u32[hiWord] === staleNaNBits.hi || u32[hiWord] === quietStaleHi);
}

const quietStaleHi = 0x7ff80000;

/** The 64 bits of a float as [hi, lo] unsigned 32-bit halves. */
export function floatBits(v: number): [number, number] {
  f64[0] = v;
  return [u32[hiWord] as number, u32[loWord] as number];
}

/** The float with these 64 bits. */
export function floatFromBits(hi: number, lo: number): number {
  u32[hiWord] = hi >>> 0;
  u32[loWord] = lo >>> 0;
  return f64[0] as number;
}
