/**
 * Decoder of the snappy block format (github.com/google/snappy, format_description.txt), the compression
 * Prometheus applies to WAL records. A block is the uvarint decoded length, then elements whose tag byte's low
 * two bits say: 0 literal, 1 copy with 1-byte offset, 2 copy with 2-byte offset, 3 copy with 4-byte offset.
 */

/** Malformed snappy input. Internal to the WAL: the reader reports it as a corruption. */
export class SnappyFormatError extends Error {
  readonly code = 'SNAPPY_FORMAT';
  constructor(readonly reason: string) {
    super(`snappy: ${reason}`);
    this.name = 'SnappyFormatError';
  }
}

// A copy of 64 bytes costs 3 input bytes; nothing expands more. A claimed length beyond this is garbage, and
// refusing it keeps a corrupt header from allocating gigabytes.
const MAX_EXPANSION = 22;

/**
 * Decodes the whole of `src`. The result is a view into `scratch` when it is large enough (valid until
 * `scratch` is reused), otherwise into a new array. Never throws on bad input.
 */
export function snappyDecode(src: Uint8Array, scratch?: Uint8Array): Uint8Array | SnappyFormatError {
  const len = src.length;
  let s = 0;
  let dLen = 0;
  let mul = 1;
  for (;;) {
    if (s >= len) return new SnappyFormatError('truncated length');
    const b = src[s++] as number;
    dLen += (b & 0x7f) * mul;
    if (b < 0x80) break;
    if (s >= 5) return new SnappyFormatError('length overflows 32 bits');
    mul *= 128;
  }
  if (dLen > 0xffffffff) return new SnappyFormatError('length overflows 32 bits');
  if (dLen > (len - s) * MAX_EXPANSION) return new SnappyFormatError(`length ${dLen} is impossible for ${len} bytes`);
  const dst = scratch !== undefined && scratch.length >= dLen ? scratch : new Uint8Array(dLen);
  let d = 0;
  while (s < len) {
    const tag = src[s] as number;
    let length: number;
    let offset: number;
    switch (tag & 3) {
      case 0: {
        let x = tag >>> 2;
        if (x < 60) {
          s += 1;
        } else {
          const extra = x - 59;
          if (s + 1 + extra > len) return new SnappyFormatError('truncated literal length');
          x = 0;
          for (let k = extra; k >= 1; k--) x = x * 256 + (src[s + k] as number);
          s += 1 + extra;
        }
        const n = x + 1;
        if (n > len - s) return new SnappyFormatError('literal runs past the input');
        if (n > dLen - d) return new SnappyFormatError('literal runs past the decoded length');
        if (n < 16) {
          for (let k = 0; k < n; k++) dst[d + k] = src[s + k] as number;
        } else {
          dst.set(src.subarray(s, s + n), d);
        }
        d += n;
        s += n;
        continue;
      }
      case 1:
        if (s + 2 > len) return new SnappyFormatError('truncated copy');
        length = 4 + ((tag >>> 2) & 7);
        offset = ((tag & 0xe0) << 3) | (src[s + 1] as number);
        s += 2;
        break;
      case 2:
        if (s + 3 > len) return new SnappyFormatError('truncated copy');
        length = 1 + (tag >>> 2);
        offset = (src[s + 1] as number) | ((src[s + 2] as number) << 8);
        s += 3;
        break;
      default:
        if (s + 5 > len) return new SnappyFormatError('truncated copy');
        length = 1 + (tag >>> 2);
        offset =
          ((src[s + 1] as number) |
            ((src[s + 2] as number) << 8) |
            ((src[s + 3] as number) << 16) |
            ((src[s + 4] as number) << 24)) >>>
          0;
        s += 5;
    }
    if (offset === 0 || offset > d) return new SnappyFormatError(`copy offset ${offset} out of range at ${d}`);
    if (length > dLen - d) return new SnappyFormatError('copy runs past the decoded length');
    if (offset >= length) {
      dst.copyWithin(d, d - offset, d - offset + length);
    } else {
      for (let k = 0; k < length; k++) dst[d + k] = dst[d - offset + k] as number;
    }
    d += length;
  }
  if (d !== dLen) return new SnappyFormatError(`decoded ${d} bytes, header says ${dLen}`);
  return dst.subarray(0, dLen);
}
