/**
 * Selections from each series' window: `min_over_time`, `max_over_time` and the experimental `ts_of_*_over_time`
 * (the time, in seconds, of the minimum, maximum, first or last point). A NaN is replaced by any later value, so
 * NaN comes out only when every point is NaN; `ts_of_min`/`ts_of_max` report the last of equal extremes. An empty
 * window gives no sample.
 */
import type { FunctionImpl, RangeFunction } from '../function-types.ts';

/** Keeps the point for which `better(value, best)` last held (upstream's `compareOverTime`). */
function extreme(better: (cur: number, best: number) => boolean, timestamp: boolean): RangeFunction {
  return ({ ts, fs, lo, hi }) => {
    if (hi <= lo) return null;
    let best = fs[lo] as number;
    let bestT = ts[lo] as number;
    for (let i = lo; i < hi; i++) {
      const f = fs[i] as number;
      if (better(f, best)) {
        best = f;
        bestT = ts[i] as number;
      }
    }
    return timestamp ? bestT / 1000 : best;
  };
}

/** The selections over time, keyed by PromQL name. */
export const extremaFunctions = {
  max_over_time: { kind: 'range', fn: extreme((cur, best) => cur > best || Number.isNaN(best), false) },
  min_over_time: { kind: 'range', fn: extreme((cur, best) => cur < best || Number.isNaN(best), false) },
  ts_of_max_over_time: { kind: 'range', fn: extreme((cur, best) => cur >= best || Number.isNaN(best), true) },
  ts_of_min_over_time: { kind: 'range', fn: extreme((cur, best) => cur <= best || Number.isNaN(best), true) },
  ts_of_first_over_time: { kind: 'range', fn: ({ ts, lo, hi }) => (hi > lo ? (ts[lo] as number) / 1000 : null) },
  ts_of_last_over_time: { kind: 'range', fn: ({ ts, lo, hi }) => (hi > lo ? (ts[hi - 1] as number) / 1000 : null) },
} satisfies Record<string, FunctionImpl>;
