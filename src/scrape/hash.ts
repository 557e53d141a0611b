/**
 * The 64-bit hashes Prometheus spreads scrapes with: xxHash64 (labels.Hash) and FNV-1a (Target.hash, the
 * offset seed). BigInt arithmetic: these run once per target per reload, never per sample.
 */
import type { Labels } from '../model/index.ts';

const mask = (1n << 64n) - 1n;
const p1 = 11400714785074694791n;
const p2 = 14029467366897019727n;
const p3 = 1609587929392839161n;
const p4 = 9650029242287828579n;
const p5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & mask;
const round = (acc: bigint, input: bigint) => (rotl((acc + input * p2) & mask, 31n) * p1) & mask;
const merge = (acc: bigint, v: bigint) => ((acc ^ round(0n, v)) * p1 + p4) & mask;

/** xxHash64 of `buf` with seed 0, as github.com/cespare/xxhash computes it. */
export function xxhash64(buf: Uint8Array): bigint {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const n = b.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let v1 = (p1 + p2) & mask;
    let v2 = p2;
    let v3 = 0n;
    let v4 = (mask + 1n - p1) & mask;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, b.readBigUInt64LE(i));
      v2 = round(v2, b.readBigUInt64LE(i + 8));
      v3 = round(v3, b.readBigUInt64LE(i + 16));
      v4 = round(v4, b.readBigUInt64LE(i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & mask;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = p5;
  }
  h = (h + BigInt(n)) & mask;
  for (; i + 8 <= n; i += 8) {
    h ^= round(0n, b.readBigUInt64LE(i));
    h = (rotl(h, 27n) * p1 + p4) & mask;
  }
  if (i + 4 <= n) {
    h ^= (BigInt(b.readUInt32LE(i)) * p1) & mask;
    h = (rotl(h, 23n) * p2 + p3) & mask;
    i += 4;
  }
  for (; i < n; i++) {
    h ^= (BigInt(b[i] as number) * p5) & mask;
    h = (rotl(h, 11n) * p1) & mask;
  }
  h ^= h >> 33n;
  h = (h * p2) & mask;
  h ^= h >> 29n;
  h = (h * p3) & mask;
  h ^= h >> 32n;
  return h;
}

const fnvOffset = 14695981039346656037n;
const fnvPrime = 1099511628211n;

/** FNV-1a 64 of the UTF-8 bytes of `text`. */
export function fnv64a(text: string): bigint {
  let h = fnvOffset;
  for (const byte of Buffer.from(text, 'utf8')) h = ((h ^ BigInt(byte)) * fnvPrime) & mask;
  return h;
}

/** Prometheus' `labels.Hash()`: xxHash64 over name, 0xff, value, 0xff for each label in order. */
export function labelsHash(labels: Labels): bigint {
  const parts: Buffer[] = [];
  const sep = Buffer.from([0xff]);
  labels.forEach((name, value) => {
    parts.push(Buffer.from(name, 'utf8'), sep, Buffer.from(value, 'utf8'), sep);
  });
  return xxhash64(Buffer.concat(parts));
}

/**
 * The seed Prometheus mixes into every target's offset so that two servers scraping the same targets do not
 * fire together: FNV-1a of the hostname followed by the external labels as `{a="b", c="d"}`.
 */
export function offsetSeed(hostname: string, externalLabels: Labels): bigint {
  return fnv64a(hostname + externalLabels.toString());
}
