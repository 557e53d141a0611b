/**
 * The φ-quantile of a set of floats as upstream's `quantile` (used by `quantile_over_time`, `mad_over_time` and
 * the `quantile` aggregation): linear interpolation between the two closest ranks, NaNs sorting below every
 * number.
 */

/**
 * The `q`-quantile of `values`. Sorts `values` in place (NaNs first, then ascending). Empty input or NaN `q` give
 * NaN; `q < 0` gives -Inf and `q > 1` +Inf.
 */
export function quantile(q: number, values: Float64Array): number {
  const n = values.length;
  if (n === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  sortNaNFirst(values);
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return (values[lowerIndex] as number) * (1 - weight) + (values[upperIndex] as number) * weight;
}

/** Sorts ascending with NaNs moved to the front (a typed array's own sort puts them last). */
function sortNaNFirst(values: Float64Array): void {
  values.sort();
  let nans = 0;
  for (let i = values.length - 1; i >= 0 && Number.isNaN(values[i]); i--) nans++;
  if (nans === 0) return;
  values.copyWithin(nans, 0, values.length - nans);
  values.fill(Number.NaN, 0, nans);
}
