/**
 * When a group evaluates: at `offset + k × interval`, where the offset (in [0, interval)) comes from the hash
 * of the group's file and name, so groups spread over the interval and keep their phase across restarts
 * (Prometheus' `Group.EvalTimestamp`). Computed in nanoseconds, as upstream, then truncated to milliseconds.
 */

const mask = (1n << 64n) - 1n;
const p1 = 11400714785074694791n;
const p2 = 14029467366897019727n;
const p3 = 1609587929392839161n;
const p4 = 9650029242287828579n;
const p5 = 2870177450012600261n;

const rotl = (x: bigint, r: bigint) => ((x << r) | (x >> (64n - r))) & mask;
const round = (acc: bigint, input: bigint) => (rotl((acc + input * p2) & mask, 31n) * p1) & mask;
const mergeRound = (acc: bigint, val: bigint) => ((acc ^ round(0n, val)) * p1 + p4) & mask;

function u64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] as number);
  return v;
}

function u32(b: Uint8Array, i: number): bigint {
  return (
    BigInt(((b[i] as number) | ((b[i + 1] as number) << 8) | ((b[i + 2] as number) << 16)) >>> 0) +
    (BigInt(b[i + 3] as number) << 24n)
  );
}

/** XXH64 with seed 0 (`github.com/cespare/xxhash/v2`'s `Sum64`). Used once per group start: BigInt is fine. */
export function xxhash64(b: Uint8Array): bigint {
  const n = b.length;
  let h: bigint;
  let i = 0;
  if (n >= 32) {
    let v1 = (p1 + p2) & mask;
    let v2 = p2;
    let v3 = 0n;
    let v4 = (0n - p1) & mask;
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, u64(b, i));
      v2 = round(v2, u64(b, i + 8));
      v3 = round(v3, u64(b, i + 16));
      v4 = round(v4, u64(b, i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & mask;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else h = p5;
  h = (h + BigInt(n)) & mask;
  for (; i + 8 <= n; i += 8) h = (rotl(h ^ round(0n, u64(b, i)), 27n) * p1 + p4) & mask;
  if (i + 4 <= n) {
    h = (rotl(h ^ ((u32(b, i) * p1) & mask), 23n) * p2 + p3) & mask;
    i += 4;
  }
  for (; i < n; i++) h = (rotl(h ^ ((BigInt(b[i] as number) * p5) & mask), 11n) * p1) & mask;
  h ^= h >> 33n;
  h = (h * p2) & mask;
  h ^= h >> 29n;
  h = (h * p3) & mask;
  h ^= h >> 32n;
  return h;
}

/** The hash of the label set `{file="…", name="…"}`, as Prometheus' `labels.Labels.Hash`. */
export function groupHash(file: string, name: string): bigint {
  return xxhash64(Buffer.from(`file\xff${file}\xffname\xff${name}\xff`, 'utf8'));
}

/** The latest evaluation time of the group at or before `nowMs` (Unix ms). */
export function evalTimestamp(file: string, name: string, intervalMs: number, nowMs: number): number {
  const interval = BigInt(intervalMs) * 1_000_000n;
  const offset = groupHash(file, name) % interval;
  const now = BigInt(Math.trunc(nowMs)) * 1_000_000n;
  const adjusted = now - offset;
  // Go's % keeps the sign of the dividend, as BigInt's does.
  const base = adjusted - (adjusted % interval);
  const next = base + offset;
  return Number(next / 1_000_000n);
}
