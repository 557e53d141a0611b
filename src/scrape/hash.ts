/**
 * The 64-bit hashes Prometheus spreads scrapes with: xxHash64 (labels.Hash, from `model`) and FNV-1a
 * (Target.hash, the offset seed). These run once per target per reload, never per sample.
 */
import { type Labels, xxhash64 } from '../model/index.ts';

const mask = (1n << 64n) - 1n;
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
