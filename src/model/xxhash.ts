/**
 * XXH64 (seed 0), the hash Prometheus uses for label sets (`github.com/cespare/xxhash/v2`), and
 * `labels.Labels.Hash()` on top of it. `limit_ratio` picks series by this hash, so it must agree with upstream's
 * bit for bit.
 *
 * 64-bit arithmetic is done on pairs of unsigned 32-bit halves held in module scratch registers (`rh`, `rl`):
 * no BigInt and no allocation per lane. Not re-entrant across threads (JavaScript has none here).
 */
import type { Labels } from './labels.ts';

// The five XXH64 primes, as [high, low] 32-bit halves.
const P1H = 0x9e3779b1;
const P1L = 0x85ebca87;
const P2H = 0xc2b2ae3d;
const P2L = 0x27d4eb4f;
const P3H = 0x165667b1;
const P3L = 0x9e3779f9;
const P4H = 0x85ebca77;
const P4L = 0xc2b2ae63;
const P5H = 0x27d4eb2f;
const P5L = 0x165667c5;

const TWO32 = 4294967296;

// Result registers of the 64-bit helpers below.
let rh = 0;
let rl = 0;

/** (ah:al) × (bh:bl) mod 2^64 into rh:rl. */
function mul(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0; // < 2^33, exact
  const low = a0 * b0 + (mid % 65536) * 65536; // < 2^33, exact
  const high = a1 * b1 + Math.floor(mid / 65536) + Math.floor(low / TWO32); // high word of al × bl
  rl = low >>> 0;
  rh = (high + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/** (ah:al) + (bh:bl) mod 2^64 into rh:rl. */
function add(ah: number, al: number, bh: number, bl: number): void {
  const low = al + bl;
  rl = low >>> 0;
  rh = (ah + bh + (low >= TWO32 ? 1 : 0)) >>> 0;
}

/** (h:l) rotated left by 0 < r < 32 into rh:rl. */
function rotl(h: number, l: number, r: number): void {
  rh = ((h << r) | (l >>> (32 - r))) >>> 0;
  rl = ((l << r) | (h >>> (32 - r))) >>> 0;
}

/** XXH64's round: rotl(acc + input × P2, 31) × P1, into rh:rl. */
function round(acch: number, accl: number, inh: number, inl: number): void {
  mul(inh, inl, P2H, P2L);
  add(acch, accl, rh, rl);
  rotl(rh, rl, 31);
  mul(rh, rl, P1H, P1L);
}

const u32 = (b: Uint8Array, i: number): number =>
  ((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16) | ((b[i + 3] as number) << 24)) >>> 0;

/** XXH64 of `data` with seed 0, as an unsigned 64-bit bigint. */
export function xxhash64(data: Uint8Array): bigint {
  const n = data.length;
  let i = 0;
  let hh: number;
  let hl: number;
  if (n >= 32) {
    add(P1H, P1L, P2H, P2L);
    let v1h = rh;
    let v1l = rl;
    let v2h = P2H;
    let v2l = P2L;
    let v3h = 0;
    let v3l = 0;
    // 0 − P1 mod 2^64: the two's complement of P1 (P1's low half is non-zero, so no carry into the high half).
    let v4h = ~P1H >>> 0;
    let v4l = (TWO32 - P1L) >>> 0;
    for (; i + 32 <= n; i += 32) {
      round(v1h, v1l, u32(data, i + 4), u32(data, i));
      v1h = rh;
      v1l = rl;
      round(v2h, v2l, u32(data, i + 12), u32(data, i + 8));
      v2h = rh;
      v2l = rl;
      round(v3h, v3l, u32(data, i + 20), u32(data, i + 16));
      v3h = rh;
      v3l = rl;
      round(v4h, v4l, u32(data, i + 28), u32(data, i + 24));
      v4h = rh;
      v4l = rl;
    }
    rotl(v1h, v1l, 1);
    hh = rh;
    hl = rl;
    rotl(v2h, v2l, 7);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v3h, v3l, 12);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    rotl(v4h, v4l, 18);
    add(hh, hl, rh, rl);
    hh = rh;
    hl = rl;
    for (const [vh, vl] of [
      [v1h, v1l],
      [v2h, v2l],
      [v3h, v3l],
      [v4h, v4l],
    ] as const) {
      // Merge round: (h ^ round(0, v)) × P1 + P4.
      round(0, 0, vh, vl);
      mul((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, P1H, P1L);
      add(rh, rl, P4H, P4L);
      hh = rh;
      hl = rl;
    }
  } else {
    hh = P5H;
    hl = P5L;
  }
  add(hh, hl, Math.floor(n / TWO32), n >>> 0);
  hh = rh;
  hl = rl;
  for (; i + 8 <= n; i += 8) {
    round(0, 0, u32(data, i + 4), u32(data, i));
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 27);
    mul(rh, rl, P1H, P1L);
    add(rh, rl, P4H, P4L);
    hh = rh;
    hl = rl;
  }
  if (i + 4 <= n) {
    mul(0, u32(data, i), P1H, P1L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 23);
    mul(rh, rl, P2H, P2L);
    add(rh, rl, P3H, P3L);
    hh = rh;
    hl = rl;
    i += 4;
  }
  for (; i < n; i++) {
    mul(0, data[i] as number, P5H, P5L);
    rotl((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, 11);
    mul(rh, rl, P1H, P1L);
    hh = rh;
    hl = rl;
  }
  // Avalanche.
  hl = (hl ^ (hh >>> 1)) >>> 0; // h ^= h >> 33
  mul(hh, hl, P2H, P2L);
  hh = rh;
  hl = (rl ^ ((rl >>> 29) | (rh << 3))) >>> 0; // h ^= h >> 29
  hh = (hh ^ (hh >>> 29)) >>> 0;
  mul(hh, hl, P3H, P3L);
  hh = rh;
  hl = (rl ^ rh) >>> 0; // h ^= h >> 32
  return (BigInt(hh) << 32n) | BigInt(hl);
}

/**
 * Appends the UTF-8 bytes of `s` to `out`. A lone surrogate U+DC80–U+DCFF stands for the raw byte 0x80–0xFF
 * (the parser's convention for Go strings that are not UTF-8); any other lone surrogate becomes U+FFFD.
 */
export function appendUtf8(out: number[], s: string): void {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else if (c >= 0xdc80 && c <= 0xdcff) {
        out.push(c - 0xdc00);
        continue;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
}

/** Appends one string of a label set as Prometheus' default (`stringlabels`) build stores it: length, then bytes. */
function appendSized(out: number[], s: string): void {
  const bytes: number[] = [];
  appendUtf8(bytes, s);
  const n = bytes.length;
  if (n < 255) out.push(n);
  else out.push(255, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff);
  for (const b of bytes) out.push(b);
}

/**
 * `labels.Labels.Hash()` of Prometheus' default build (`stringlabels`): XXH64 of the label set's encoding, each
 * name and value preceded by its byte length (one byte below 255, else 0xFF and three little-endian bytes), in
 * name order. (The `slicelabels` build hashes `name 0xFF value 0xFF …` instead and so picks other series.)
 */
export function hashLabels(ls: Labels): bigint {
  const bytes: number[] = [];
  for (let i = 0; i < ls.size; i++) {
    appendSized(bytes, ls.name(i));
    appendSized(bytes, ls.value(i));
  }
  return xxhash64(Uint8Array.from(bytes));
}
