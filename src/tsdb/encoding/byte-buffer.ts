/**
 * The growable write buffer under the block and WAL record encoders: bytes, big-endian uint32, Go unsigned
 * varints and length-prefixed UTF-8 strings. The encoders above it differ only in how they treat integers a
 * JavaScript number cannot hold exactly (block files refuse them, WAL records clamp them to int64).
 */
export class ByteBuffer {
  buf: Buffer;
  len = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** Forgets the bytes written; the memory is kept. */
  reset(): void {
    this.len = 0;
  }

  /** The bytes written, as a view: valid until the next write or reset. */
  get(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written since the last reset. */
  take(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.len));
  }

  /** Makes room for `extra` more bytes. */
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

  /** Big-endian uint32; `x` in [0, 2^32) (lower bits kept otherwise). */
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

  /** Unsigned varint of a non-negative safe integer (callers check the range). */
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

  /** The UTF-8 byte length of `s` as a uvarint, then the bytes. */
  uvarintStr(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n);
    this.ensure(n);
    this.len += this.buf.write(s, this.len, n, 'utf8');
  }

  /** `src[start, end)`. */
  bytes(src: Uint8Array, start = 0, end = src.length): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += end - start;
  }

  /** `n` zero bytes. */
  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }
}
