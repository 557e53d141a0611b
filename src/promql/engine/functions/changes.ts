/**
 * `changes` and `resets`: how often a series' value changed, or dropped, between consecutive points of the
 * window. NaN to NaN is no change; a change to or from NaN is one; a drop never involves NaN (comparisons with NaN
 * are false). An empty window gives no sample; a single point gives 0.
 */
import type { FunctionImpl, RangeFunction } from '../function-types.ts';

/** Counts consecutive pairs for which `counts(prev, cur)` holds. */
function countPairs(counts: (prev: number, cur: number) => boolean): RangeFunction {
  return ({ fs, lo, hi }) => {
    if (hi <= lo) return null;
    let n = 0;
    let prev = fs[lo] as number;
    for (let i = lo + 1; i < hi; i++) {
      const cur = fs[i] as number;
      if (counts(prev, cur)) n++;
      prev = cur;
    }
    return n;
  };
}

/** The change-counting functions, keyed by PromQL name. */
export const changeFunctions = {
  changes: {
    kind: 'range',
    fn: countPairs((prev, cur) => cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))),
  },
  resets: { kind: 'range', fn: countPairs((prev, cur) => cur < prev) },
} satisfies Record<string, FunctionImpl>;
