/** The φ-quantile of a set of floats as upstream's `quantile()` (promql/quantile.go) computes it. */
import { goSort } from './aggregate-go-sort.ts';

/** Go's `vectorByValueHeap.Less`: NaN before everything (itself included), then ascending. */
export const nanFirstLess = (a: number, b: number): boolean => Number.isNaN(a) || a < b;

/**
 * The `q`-quantile of `values`, interpolating linearly between the two nearest ranks. NaN for no values or a NaN
 * `q`, −Inf for `q` < 0, +Inf for `q` > 1. NaNs count as the smallest values. Sorts `values` in place, in Go's
 * `sort.Sort` order (which decides the sign of a zero result among mixed ±0).
 */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  goSort(values, nanFirstLess);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (values[lower] as number) * (1 - weight) + (values[upper] as number) * weight;
}
