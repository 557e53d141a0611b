import { ByteBuffer } from '../encoding/byte-buffer.ts';

/**
 * The WAL records' write buffer, the counterpart of {@link Decbuf}: integers outside the int64 range are clamped
 * to it; fractions are truncated toward zero.
 */
export class Encbuf extends ByteBuffer {
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
