/**
 * A growable write buffer, the counterpart of {@link Decbuf}: big-endian fixed-width integers and Go varints.
 * Integers outside the int64 range are clamped to it; fractions are truncated toward zero.
 */
export class Encbuf {
  buf: Buffer;
  len = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.len = 0;
  }

  /** A copy of the bytes written since the last reset. */
  take(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.len));
  }

  ensure(extra: number): void {
    const need = this.len + extra;
    if (need <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < need) n *= 2;
    const next = Buffer.allocUnsafe(n);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(x: number): void {
    this.ensure(1);
    this.buf[this.len++] = x;
  }

  be32(x: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.len;
    b[p] = x >>> 24;
    b[p + 1] = x >>> 16;
    b[p + 2] = x >>> 8;
    b[p + 3] = x;
    this.len = p + 4;
  }

  /** Big-endian int64 (also used for uint64 series references, which are below 2^53). */
  be64(x: number): void {
    if (x >= -0x20000000000000 && x <= 0x1fffffffffffff && Number.isInteger(x)) {
      const hi = Math.floor(x / 4294967296);
      this.be32(hi >>> 0);
      this.be32((x - hi * 4294967296) >>> 0);
      return;
    }
    this.be64Big(BigInt.asUintN(64, toInt64(x)));
  }

  be64Big(x: bigint): void {
    const u = BigInt.asUintN(64, x);
    this.be32(Number(u >> 32n));
    this.be32(Number(u & 0xffffffffn));
  }

  uvarint(x: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.len;
    if (x < 0x80000000) {
      let v = x >>> 0;
      while (v >= 0x80) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      b[p++] = v;
    } else {
      let v = x;
      while (v >= 0x80) {
        b[p++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
      b[p++] = v;
    }
    this.len = p;
  }

  /** Signed varint (zigzag). */
  varint(x: number): void {
    if (x > -0x10000000000000 && x < 0x10000000000000 && Number.isInteger(x)) {
      this.uvarint(x >= 0 ? x * 2 : -x * 2 - 1);
      return;
    }
    const v = toInt64(x);
    let u = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    this.ensure(10);
    while (u >= 0x80n) {
      this.buf[this.len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.len++] = Number(u);
  }

  /** A uvarint byte length followed by the UTF-8 bytes of `s`. */
  uvarintStr(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += end - start;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `x` truncated toward zero and clamped to int64. NaN is a caller bug. */
function toInt64(x: number): bigint {
  if (Number.isNaN(x)) throw new RangeError('cannot encode NaN as an integer');
  if (x === Number.POSITIVE_INFINITY) return INT64_MAX;
  if (x === Number.NEGATIVE_INFINITY) return INT64_MIN;
  const v = BigInt(Math.trunc(x));
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}
