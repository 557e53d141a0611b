/**
 * Encoder of the snappy block format, in the manner of Go's `snappy.Encode`, which Prometheus uses: the input is
 * cut into 64 KiB blocks, each matched on its own with a 4-byte hash table; copies never reach across blocks.
 * The output decodes with any conforming snappy decoder (Go's included, as the Prometheus interop test checks).
 */

const BLOCK_BYTES = 65536;
// Go's inputMargin: matching stops this far from a block's end, so 4-byte loads never run past it.
const INPUT_MARGIN = 15;
const MIN_MATCHED_BLOCK = 1 + 1 + INPUT_MARGIN;
const MAX_TABLE_BITS = 14;

const table = new Int32Array(1 << MAX_TABLE_BITS);

/** The largest output {@link snappyEncode} can produce for `n` input bytes. */
export function snappyMaxEncodedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/**
 * Compresses `src` into a new array, or into `scratch` when it holds `snappyMaxEncodedLength(src.length)` bytes
 * (the result is then a view of it, valid until `scratch` is written again).
 */
export function snappyEncode(src: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const max = snappyMaxEncodedLength(src.length);
  const out = scratch !== undefined && scratch.length >= max ? scratch : new Uint8Array(max);
  let d = 0;
  let n = src.length;
  while (n >= 0x80) {
    out[d++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[d++] = n;
  for (let p = 0; p < src.length; p += BLOCK_BYTES) {
    const end = Math.min(p + BLOCK_BYTES, src.length);
    d = end - p < MIN_MATCHED_BLOCK ? emitLiteral(out, d, src, p, end) : encodeBlock(out, d, src, p, end);
  }
  return out.subarray(0, d);
}

function load32(b: Uint8Array, i: number): number {
  return (b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24);
}

function encodeBlock(out: Uint8Array, d: number, src: Uint8Array, start: number, end: number): number {
  let bits = 8;
  while (bits < MAX_TABLE_BITS && 1 << bits < end - start) bits++;
  const shift = 32 - bits;
  const hash = (u: number) => Math.imul(u, 0x1e35a7bd) >>> shift;
  table.fill(-1, 0, 1 << bits);

  const sLimit = end - INPUT_MARGIN;
  let nextEmit = start;
  let s = start + 1;
  let nextHash = hash(load32(src, s));
  outer: for (;;) {
    let skip = 32;
    let nextS = s;
    let candidate: number;
    do {
      s = nextS;
      const step = skip >> 5;
      nextS = s + step;
      skip += step;
      if (nextS > sLimit) break outer;
      candidate = table[nextHash] as number;
      table[nextHash] = s;
      nextHash = hash(load32(src, nextS));
    } while (candidate < 0 || load32(src, s) !== load32(src, candidate));

    d = emitLiteral(out, d, src, nextEmit, s);
    for (;;) {
      const base = s;
      let i = candidate + 4;
      s += 4;
      while (s < end && src[i] === src[s]) {
        i++;
        s++;
      }
      d = emitCopy(out, d, base - candidate, s - base);
      nextEmit = s;
      if (s >= sLimit) break outer;
      table[hash(load32(src, s - 1))] = s - 1;
      const h = hash(load32(src, s));
      candidate = table[h] as number;
      table[h] = s;
      if (candidate < 0 || load32(src, s) !== load32(src, candidate)) {
        s++;
        nextHash = hash(load32(src, s));
        break;
      }
    }
  }
  return nextEmit < end ? emitLiteral(out, d, src, nextEmit, end) : d;
}

function emitLiteral(out: Uint8Array, d: number, src: Uint8Array, a: number, b: number): number {
  const n = b - a - 1;
  if (n < 0) return d;
  if (n < 60) {
    out[d++] = n << 2;
  } else if (n < 256) {
    out[d++] = 60 << 2;
    out[d++] = n;
  } else {
    out[d++] = 61 << 2;
    out[d++] = n & 0xff;
    out[d++] = n >>> 8;
  }
  // Short literals (most of a samples record: a value's bits between two repeated bytes) byte by byte: a
  // subarray per literal allocated 100 bytes a sample on the head's commit path.
  if (n < 64) for (let i = a; i < b; i++) out[d++] = src[i] as number;
  else {
    out.set(src.subarray(a, b), d);
    d += n + 1;
  }
  return d;
}

function emitCopy(out: Uint8Array, d: number, offset: number, length: number): number {
  let left = length;
  while (left >= 68) {
    out[d++] = (63 << 2) | 2;
    out[d++] = offset & 0xff;
    out[d++] = offset >>> 8;
    left -= 64;
  }
  if (left > 64) {
    out[d++] = (59 << 2) | 2;
    out[d++] = offset & 0xff;
    out[d++] = offset >>> 8;
    left -= 60;
  }
  if (left >= 12 || offset >= 2048) {
    out[d++] = ((left - 1) << 2) | 2;
    out[d++] = offset & 0xff;
    out[d++] = offset >>> 8;
  } else {
    out[d++] = ((offset >>> 8) << 5) | ((left - 4) << 2) | 1;
    out[d++] = offset & 0xff;
  }
  return d;
}
