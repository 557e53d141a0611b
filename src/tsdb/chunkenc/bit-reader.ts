/** Reading a most-significant-bit-first bit stream by absolute bit position, without state or allocation. */

/**
 * The 32 bits of `b` starting at bit `pos`, as an int32 (the first bit is the sign bit). Bits past `len` bytes
 * read as zero, so a caller may decode a whole field and check `pos` against the end once afterwards.
 */
export function peek32(b: Uint8Array, pos: number, len: number): number {
  const i = pos >>> 3;
  const s = pos & 7;
  if (i + 4 < len) {
    const w =
      ((b[i] as number) << 24) | ((b[i + 1] as number) << 16) | ((b[i + 2] as number) << 8) | (b[i + 3] as number);
    return s === 0 ? w : (w << s) | ((b[i + 4] as number) >>> (8 - s));
  }
  return peekTail(b, i, s, len);
}

function peekTail(b: Uint8Array, i: number, s: number, len: number): number {
  let w = 0;
  for (let k = 0; k < 4; k++) w = (w << 8) | (i + k < len ? (b[i + k] as number) : 0);
  if (s === 0) return w;
  return (w << s) | (i + 4 < len ? (b[i + 4] as number) >>> (8 - s) : 0);
}

/** Results of `readUvarint64`: [low 32 bits, high 32 bits] as uint32. Overwritten by each call. */
export const uvarintOut = new Uint32Array(2);

/** `readUvarint64` could not finish: the bytes ended first. */
export const UVARINT_TRUNCATED = -1;
/** `readUvarint64` found more than 64 bits, as Go's `binary.ReadUvarint` rejects. */
export const UVARINT_OVERFLOW = -2;

/**
 * Reads a Go uvarint (1 to 10 bytes) from byte `i` of `b` into `uvarintOut`. Returns the index of the byte after
 * it, or `UVARINT_TRUNCATED` / `UVARINT_OVERFLOW`.
 */
export function readUvarint64(b: Uint8Array, i: number, len: number): number {
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < 10; k++) {
    if (i >= len) return UVARINT_TRUNCATED;
    const byte = b[i++] as number;
    const g = byte & 0x7f;
    if (k < 4) lo |= g << (7 * k);
    else if (k === 4) {
      lo |= g << 28;
      hi = g >>> 4;
    } else {
      if (k === 9 && byte > 1) return UVARINT_OVERFLOW;
      hi |= g << (7 * k - 32);
    }
    if (byte < 0x80) {
      uvarintOut[0] = lo;
      uvarintOut[1] = hi;
      return i;
    }
  }
  return UVARINT_OVERFLOW;
}
