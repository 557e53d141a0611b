/**
 * A read cursor over one record, in the manner of Prometheus' `encoding.Decbuf`: reads never throw; the first
 * failure is kept in `err` (with the byte offset in `errOffset`) and every later read returns 0.
 * Varints are Go's `encoding/binary` ones: unsigned LEB128, signed values zigzag-encoded, at most 10 bytes.
 */
export class Decbuf {
  pos = 0;
  err: string | null = null;
  errOffset = 0;
  private text: Buffer | null = null;
  private view: DataView | null = null;

  constructor(
    readonly b: Uint8Array,
    readonly end: number = b.length,
  ) {}

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(reason: string): 0 {
    if (this.err === null) {
      this.err = reason;
      this.errOffset = this.pos;
    }
    this.pos = this.end;
    return 0;
  }

  byte(): number {
    if (this.pos >= this.end) return this.fail('unexpected end of record');
    return this.b[this.pos++] as number;
  }

  /** Big-endian uint32. */
  be32(): number {
    if (this.end - this.pos < 4) return this.fail('unexpected end of record');
    const b = this.b;
    const p = this.pos;
    this.pos = p + 4;
    return (
      (((b[p] as number) << 24) | ((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number)) >>>
      0
    );
  }

  /** Big-endian int64 as the nearest number (exact within ±2^53). */
  be64Int(): number {
    if (this.end - this.pos < 8) return this.fail('unexpected end of record');
    const hi = this.be32() | 0;
    return hi * 4294967296 + this.be32();
  }

  /** Big-endian uint64 that must not exceed 2^53 − 1: a series reference. */
  be64Ref(): number {
    if (this.end - this.pos < 8) return this.fail('unexpected end of record');
    const hi = this.be32();
    const lo = this.be32();
    if (hi > 0x1fffff) {
      this.pos -= 8;
      return this.fail('series reference exceeds 2^53-1');
    }
    return hi * 4294967296 + lo;
  }

  /** Big-endian IEEE 754 float64, through a JS number (a NaN's payload may not be kept). */
  be64Float(): number {
    if (this.end - this.pos < 8) return this.fail('unexpected end of record');
    this.view ??= new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }

  /** Big-endian uint64, exact. */
  be64BigUint(): bigint {
    if (this.end - this.pos < 8) return BigInt(this.fail('unexpected end of record'));
    const hi = this.be32();
    return (BigInt(hi) << 32n) | BigInt(this.be32());
  }

  /** Unsigned varint as the nearest number (exact up to 2^53). */
  uvarint(): number {
    const p = this.pos;
    if (p < this.end) {
      const x = this.b[p] as number;
      if (x < 0x80) {
        this.pos = p + 1;
        return x;
      }
    }
    return this.uvarintSlow();
  }

  private uvarintSlow(): number {
    const b = this.b;
    let p = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) return this.fail('unexpected end of record in varint');
      const x = b[p++] as number;
      if (i === 9 && x > 1) return this.fail('varint overflows 64 bits');
      if (x < 0x80) {
        this.pos = p;
        // Past 7 groups (49 bits) the sum may leave the exact range: redo it in BigInt and round once.
        return i < 7 ? result + x * mul : Number(this.bigUvarint(this.pos - (i + 1), i + 1));
      }
      result += (x & 0x7f) * mul;
      mul *= 128;
    }
    return this.fail('varint overflows 64 bits');
  }

  private bigUvarint(start: number, n: number): bigint {
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 7n) | BigInt((this.b[start + i] as number) & 0x7f);
    return v;
  }

  /** Signed (zigzag) varint as the nearest number (exact within ±2^53). */
  varint(): number {
    const p = this.pos;
    if (p < this.end) {
      const x = this.b[p] as number;
      if (x < 0x80) {
        this.pos = p + 1;
        return x & 1 ? -((x + 1) / 2) : x / 2;
      }
    }
    const start = p;
    const u = this.uvarintSlow();
    if (this.err !== null) return 0;
    const len = this.pos - start;
    if (len <= 7) return u % 2 === 1 ? -((u + 1) / 2) : u / 2;
    const big = this.bigUvarint(start, len);
    return Number(big & 1n ? -((big + 1n) >> 1n) : big >> 1n);
  }

  /** A uvarint-length-prefixed UTF-8 string. Invalid UTF-8 becomes U+FFFD. */
  uvarintStr(): string {
    const n = this.uvarint();
    if (this.err !== null) return '';
    if (n > this.end - this.pos) {
      this.fail('string length exceeds record');
      return '';
    }
    const p = this.pos;
    this.pos = p + n;
    this.text ??= Buffer.from(this.b.buffer, this.b.byteOffset, this.b.byteLength);
    return this.text.toString('utf8', p, p + n);
  }
}
