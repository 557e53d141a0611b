/**
 * A most-significant-bit-first bit stream over a growable Uint8Array, writing the same bytes as Prometheus'
 * `bstream`, including its one quirk: a whole byte written at a byte boundary leaves an empty (zero) byte at
 * the end of the stream, which stays there until the next bit is written into it. So a chunk whose last field
 * is a multiple of 8 bits long and ends on a byte boundary carries one trailing zero byte (a one-sample chunk
 * always does), and Prometheus' on-disk chunks include it.
 */
export class BitWriter {
  /** The stream; bytes past `byteLength()` are zero. Replaced when it grows. */
  buf: Uint8Array;
  /** Bits written, counted from the first bit of `buf`. */
  bitLen = 0;
  /** Whether the last field written was a whole number of bytes (Prometheus wrote it with `writeByte`). */
  private endsWithByte = false;

  constructor(capacityBytes: number) {
    this.buf = new Uint8Array(Math.max(capacityBytes, 8));
  }

  /** Length of the stream in bytes, as Prometheus' `bstream` would hold it. */
  byteLength(): number {
    const full = (this.bitLen + 7) >>> 3;
    return this.endsWithByte && (this.bitLen & 7) === 0 ? full + 1 : full;
  }

  /**
   * Makes room for `bits` more bits (plus the possible empty trailing byte) without growing mid-write. When it
   * must grow, the buffer becomes `sizeHint` bytes if that is enough, else half as large again until it is.
   */
  ensure(bits: number, sizeHint = 0): void {
    const need = ((this.bitLen + bits + 7) >>> 3) + 1;
    if (need <= this.buf.length) return;
    // Grows by half (not double): an open head chunk keeps its buffer, and a chunk ends at 120 samples.
    let size = Math.max(sizeHint, this.buf.length + (this.buf.length >>> 1));
    while (size < need) size += size >>> 1;
    const next = new Uint8Array(size);
    // The whole buffer (its tail is zero), not a subarray: a view would move a buffer V8 keeps on its heap (64
    // bytes or less) out to malloc just before it is dropped.
    next.set(this.buf);
    this.buf = next;
  }

  /** Whether `bits` more bits fit without growing. */
  fits(bits: number): boolean {
    return ((this.bitLen + bits + 7) >>> 3) + 1 <= this.buf.length;
  }

  /** Clears the stream to `bitLen` bits, zeroing every byte it had used. */
  truncate(bitLen: number): void {
    const end = this.byteLength();
    const keep = (bitLen + 7) >>> 3;
    this.buf.fill(0, keep, end);
    if ((bitLen & 7) !== 0) this.buf[keep - 1] = (this.buf[keep - 1] as number) & (0xff00 >>> (bitLen & 7));
    this.bitLen = bitLen;
    this.endsWithByte = false;
  }

  /**
   * Appends the low `n` bits of `v` (1 ≤ n ≤ 32), most significant first, as one field. The caller has called
   * `ensure` for them.
   */
  writeBits(v: number, n: number): void {
    const pos = this.bitLen;
    this.bitLen = pos + n;
    this.endsWithByte = (n & 7) === 0;
    const buf = this.buf;
    let i = pos >>> 3;
    let free = 8 - (pos & 7);
    if (n < 32) v &= (1 << n) - 1;
    // Each store keeps the low 8 bits; bits already written fall off the top.
    while (n >= free) {
      n -= free;
      buf[i] = (buf[i] as number) | (v >>> n);
      i++;
      free = 8;
    }
    if (n > 0) buf[i] = (buf[i] as number) | (v << (free - n));
  }

  /**
   * Appends the low `n` bits (1 ≤ n ≤ 64) of the 64-bit value `hi:lo` shifted right by `shift` (0 ≤ shift ≤ 63)
   * as one field. The caller has called `ensure` for them.
   */
  writeShifted64(hi: number, lo: number, shift: number, n: number): void {
    let h = hi;
    let l = lo;
    if (shift >= 32) {
      l = hi >>> (shift - 32);
      h = 0;
    } else if (shift > 0) {
      l = (lo >>> shift) | (hi << (32 - shift));
      h = hi >>> shift;
    }
    if (n > 32) {
      this.writeBits(h, n - 32);
      this.writeBits(l, 32);
    } else {
      this.writeBits(l, n);
    }
    this.endsWithByte = (n & 7) === 0;
  }

  /**
   * Appends the 64-bit value `hi:lo` as a Go `binary.PutUvarint` would: 7 bits a byte, least significant group
   * first, high bit set on all but the last byte. The caller has called `ensure` for 80 bits.
   */
  writeUvarint64(hi: number, lo: number): void {
    let h = hi >>> 0;
    let l = lo >>> 0;
    while (h !== 0 || l >= 0x80) {
      this.writeBits((l & 0x7f) | 0x80, 8);
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    this.writeBits(l, 8);
  }
}
