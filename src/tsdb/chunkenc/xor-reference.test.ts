// A slow, obviously-correct XOR encoder (BigInt, one bit at a time, int64 arithmetic) written from
// docs/format/xor-chunk.md, and randomized differential tests of the fast appender and iterator against it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '../../model/testing.ts';
import { MAX_ABS_TIMESTAMP_MS, XorAppender, XorIterator } from './index.ts';
import { DOD_BUCKETS, DOD_PREFIX_FULL, LEADING_BITS, MAX_LEADING, SIGNIFICANT_BITS } from './xor-format.ts';

/**
 * A bit stream that models Prometheus' in-memory one: `free` counts the unused low bits of the last byte, and
 * a whole byte written when `free` is 0 or 8 leaves a fresh empty byte behind it.
 */
class RefStream {
  readonly bytes: number[] = [0, 0];
  private free = 0;

  bit(one: boolean): void {
    if (this.free === 0) {
      this.bytes.push(0);
      this.free = 8;
    }
    if (one) this.bytes[this.bytes.length - 1] = (this.bytes.at(-1) as number) | (1 << (this.free - 1));
    this.free--;
  }

  byte(x: number): void {
    if (this.free === 0) {
      this.bytes.push(0);
      this.free = 8;
    }
    this.bytes[this.bytes.length - 1] = (this.bytes.at(-1) as number) | (x >> (8 - this.free));
    this.bytes.push((x << this.free) & 0xff);
  }

  bits(u: bigint, n: number): void {
    let left = n;
    while (left >= 8) {
      left -= 8;
      this.byte(Number((u >> BigInt(left)) & 0xffn));
    }
    while (left > 0) {
      left--;
      this.bit(((u >> BigInt(left)) & 1n) === 1n);
    }
  }
}

function varint(s: RefStream, u: bigint): void {
  let x = BigInt.asUintN(64, u);
  while (x >= 0x80n) {
    s.byte(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  s.byte(Number(x));
}

function clz64(x: bigint): number {
  let n = 0;
  for (let b = 63; b >= 0 && ((x >> BigInt(b)) & 1n) === 0n; b--) n++;
  return n;
}

function ctz64(x: bigint): number {
  let n = 0;
  while (n < 64 && ((x >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

function refEncode(samples: readonly { t: number; bits: bigint }[]): Uint8Array {
  const s = new RefStream();
  let prevT = 0n;
  let prevDelta = 0n;
  let prevV = 0n;
  let leading = -1;
  let trailing = 0;
  samples.forEach(({ t, bits }, i) => {
    const tb = BigInt(t);
    let delta = 0n;
    if (i === 0) {
      varint(s, tb >= 0n ? tb * 2n : -tb * 2n - 1n);
      s.bits(bits, 64);
    } else {
      delta = BigInt.asIntN(64, tb - prevT);
      if (i === 1) varint(s, delta);
      else {
        const dod = BigInt.asIntN(64, delta - prevDelta);
        const bucket = DOD_BUCKETS.find(
          (b) => -(2n ** BigInt(b.bits - 1) - 1n) <= dod && dod <= 2n ** BigInt(b.bits - 1),
        );
        if (dod === 0n) s.bit(false);
        else if (bucket !== undefined) {
          s.bits(BigInt(bucket.prefix), bucket.prefixBits);
          s.bits(BigInt.asUintN(bucket.bits, dod), bucket.bits);
        } else {
          s.bits(BigInt(DOD_PREFIX_FULL), 4);
          s.bits(BigInt.asUintN(64, dod), 64);
        }
      }
      const x = bits ^ prevV;
      if (x === 0n) s.bit(false);
      else {
        s.bit(true);
        const lz = Math.min(clz64(x), MAX_LEADING);
        const tz = ctz64(x);
        if (leading >= 0 && lz >= leading && tz >= trailing) {
          s.bit(false);
          s.bits(x >> BigInt(trailing), 64 - leading - trailing);
        } else {
          leading = lz;
          trailing = tz;
          const sig = 64 - lz - tz;
          s.bit(true);
          s.bits(BigInt(lz), LEADING_BITS);
          s.bits(BigInt(sig % 64), SIGNIFICANT_BITS);
          s.bits(x >> BigInt(tz), sig);
        }
      }
    }
    prevT = tb;
    prevDelta = delta;
    prevV = bits;
    s.bytes[0] = (i + 1) >> 8;
    s.bytes[1] = (i + 1) & 0xff;
  });
  return Uint8Array.from(s.bytes);
}

const view = new DataView(new ArrayBuffer(8));
const bitsOf = (v: number): bigint => {
  view.setFloat64(0, v);
  return view.getBigUint64(0);
};

/** Random series mixing every timestamp and value shape the format distinguishes. */
function randomSeries(seed: number): { t: number; bits: bigint }[] {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * 150);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  let t = Math.floor((r() - 0.5) * 2 ** 42);
  let v = r() * 100;
  const out: { t: number; bits: bigint }[] = [];
  for (let i = 0; i < n; i++) {
    out.push({ t, bits: bitsOf(v) });
    const step = pick([
      0,
      1,
      15_000,
      15_000,
      15_000 + Math.floor(r() * 200) - 100,
      -Math.floor(r() * 1e6),
      2 ** 20,
      r() * 2 ** 40,
    ]);
    t = Math.max(-MAX_ABS_TIMESTAMP_MS, Math.min(MAX_ABS_TIMESTAMP_MS, Math.floor(t + step)));
    const kind = pick(['same', 'inc', 'random', 'neg', 'nan', 'inf', 'tiny', 'int']);
    if (kind === 'inc') v += Math.floor(r() * 10);
    else if (kind === 'random') v = r() * 1e6;
    else if (kind === 'neg') v = -v;
    else if (kind === 'nan') v = Number.NaN;
    else if (kind === 'inf') v = r() < 0.5 ? Infinity : -Infinity;
    else if (kind === 'tiny') v = Number.MIN_VALUE * Math.floor(r() * 1000);
    else if (kind === 'int') v = Math.floor(r() * 2 ** 40);
  }
  return out;
}

describe('XOR appender against a bit-at-a-time reference encoder', () => {
  it('writes identical bytes and decodes the same samples for 500 random series', () => {
    const it = new XorIterator();
    for (let seed = 1; seed <= 500; seed++) {
      const samples = randomSeries(seed);
      const want = refEncode(samples);
      const app = new XorAppender();
      for (const s of samples) app.appendBits(s.t, Number(s.bits >> 32n), Number(s.bits & 0xffffffffn));
      assert.deepEqual(app.bytes(), want, `seed ${seed}`);
      it.reset(want);
      const got: { t: number; bits: bigint }[] = [];
      while (it.next()) got.push({ t: it.atT(), bits: (BigInt(it.atBitsHi()) << 32n) | BigInt(it.atBitsLo()) });
      assert.equal(it.err(), null);
      assert.deepEqual(got, samples, `seed ${seed}`);
    }
  });
});
