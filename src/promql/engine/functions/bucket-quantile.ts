/**
 * Quantiles and fractions of classic histograms (a set of cumulative `le` buckets), as upstream's
 * `BucketQuantile` and `BucketFraction`: buckets are sorted by upper bound, buckets with the same bound merged,
 * and the observations assumed spread linearly inside a bucket (from 0 for the lowest bucket when its bound is
 * positive).
 */
import { almostEqual } from '../almost.ts';

/** One cumulative bucket: the count of observations ≤ `upperBound`. */
export interface Bucket {
  upperBound: number;
  count: number;
}

/** Relative differences between adjacent bucket counts below this are taken as float noise and ignored. */
const smallDeltaTolerance = 1e-12;

/** Sorts by upper bound and merges buckets sharing one. Returns a new array. */
function sortedCoalesced(buckets: readonly Bucket[]): Bucket[] {
  const sorted = buckets.map((b) => ({ upperBound: b.upperBound, count: b.count }));
  sorted.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) last.count += b.count;
    else out.push(b);
  }
  return out;
}

/**
 * Ignores float-noise differences between adjacent counts, then raises every count that is below the last
 * accepted one to it. Returns whether a real decrease had to be removed (the input was not monotonic).
 */
function ensureMonotonic(buckets: Bucket[]): boolean {
  let forced = false;
  let prev = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    const curr = b.count;
    if (curr === prev) continue;
    if (almostEqual(prev, curr, smallDeltaTolerance)) {
      b.count = prev;
      continue;
    }
    if (curr < prev) {
      b.count = prev;
      forced = true;
      continue;
    }
    prev = curr;
  }
  return forced;
}

/** A classic histogram's quantile, and whether monotonicity had to be forced on its buckets. */
export interface BucketQuantileResult {
  value: number;
  forcedMonotonic: boolean;
}

/**
 * The `q`-quantile of non-empty `buckets`. NaN when q is NaN, there is no +Inf bucket, fewer than two distinct
 * bounds or no observations; -Inf for q < 0 and +Inf for q > 1. A quantile in the +Inf bucket is the highest
 * finite bound; one in a lowest bucket with a bound ≤ 0 is that bound.
 */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): BucketQuantileResult {
  if (Number.isNaN(q)) return { value: Number.NaN, forcedMonotonic: false };
  if (q < 0) return { value: Number.NEGATIVE_INFINITY, forcedMonotonic: false };
  if (q > 1) return { value: Number.POSITIVE_INFINITY, forcedMonotonic: false };
  const bs = sortedCoalesced(buckets);
  if ((bs[bs.length - 1] as Bucket).upperBound !== Number.POSITIVE_INFINITY) {
    return { value: Number.NaN, forcedMonotonic: false };
  }
  const forcedMonotonic = ensureMonotonic(bs);
  const n = bs.length;
  const observations = (bs[n - 1] as Bucket).count;
  if (n < 2 || observations === 0) return { value: Number.NaN, forcedMonotonic };
  let rank = q * observations;
  // The first bucket (the +Inf one excluded) holding at least `rank` observations.
  let b = 0;
  let end = n - 1;
  while (b < end) {
    const mid = (b + end) >>> 1;
    if ((bs[mid] as Bucket).count >= rank) end = mid;
    else b = mid + 1;
  }
  if (b === n - 1) return { value: (bs[n - 2] as Bucket).upperBound, forcedMonotonic };
  const bucket = bs[b] as Bucket;
  if (b === 0 && bucket.upperBound <= 0) return { value: bucket.upperBound, forcedMonotonic };
  let bucketStart = 0;
  let count = bucket.count;
  if (b > 0) {
    const below = bs[b - 1] as Bucket;
    bucketStart = below.upperBound;
    count -= below.count;
    rank -= below.count;
  }
  return { value: bucketStart + (bucket.upperBound - bucketStart) * (rank / count), forcedMonotonic };
}

/**
 * The fraction of observations between `lower` and `upper` in non-empty `buckets`. NaN without a +Inf bucket,
 * without observations or for a NaN bound; 0 when lower ≥ upper.
 */
export function bucketFraction(lower: number, upper: number, buckets: readonly Bucket[]): number {
  const bs = sortedCoalesced(buckets);
  if ((bs[bs.length - 1] as Bucket).upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  const count = (bs[bs.length - 1] as Bucket).count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  // Positive buckets start at 0, others at -Inf.
  let lowerBound = (bs[0] as Bucket).upperBound <= 0 ? Number.NEGATIVE_INFINITY : 0;
  for (let i = 0; i < bs.length; i++) {
    const b = bs[i] as Bucket;
    if (i > 0) lowerBound = (bs[i - 1] as Bucket).upperBound;
    const upperBound = b.upperBound;
    const interpolate = (v: number) =>
      lowerBound === Number.NEGATIVE_INFINITY
        ? b.count
        : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) break;
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) lowerRank = count;
  if (!upperSet || upperRank > count) upperRank = count;
  return (upperRank - lowerRank) / count;
}
