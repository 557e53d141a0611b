/**
 * Selections from each series' window: `min_over_time`, `max_over_time` and the experimental `ts_of_*_over_time`
 * (the time, in seconds, of the minimum, maximum, first or last point). A NaN is replaced by any later value, so
 * NaN comes out only when every point is NaN; `ts_of_min`/`ts_of_max` report the last of equal extremes. An empty
 * window gives no sample.
 */
import type { FunctionImpl, RangeFunction, RangeWindow } from '../function-types.ts';

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

/**
 * `max_over_time` / `min_over_time` as a sliding window: a deque of indices whose values strictly decrease (for
 * max) from the front, NaNs left out, so each step costs amortized O(1) instead of a scan of the window. The
 * front is the earliest of the equal extremes, as the scan keeps it; an empty deque over a non-empty window means
 * every point is NaN. The evaluator moves each series' window forward only; state is kept per call in
 * `ctx.cache` and restarts for another series, other arrays, or a window that moved back.
 */
class SlidingExtreme {
  private metric: unknown = null;
  private fs: Float64Array | null = null;
  private deque = new Int32Array(64);
  private head = 0;
  private tail = 0;
  private lo = 0;
  private hi = 0;

  constructor(private readonly max: boolean) {}

  at(w: RangeWindow): number | null {
    const { fs, lo, hi } = w;
    if (hi <= lo) return null;
    if (w.metric !== this.metric || fs !== this.fs || lo < this.lo || hi < this.hi) {
      this.metric = w.metric;
      this.fs = fs;
      this.head = 0;
      this.tail = 0;
      this.hi = lo;
    }
    for (let j = Math.max(this.hi, lo); j < hi; j++) this.push(fs, j);
    this.hi = hi;
    this.lo = lo;
    while (this.head < this.tail && (this.deque[this.head] as number) < lo) this.head++;
    return this.head < this.tail ? (fs[this.deque[this.head] as number] as number) : Number.NaN;
  }

  private push(fs: Float64Array, j: number): void {
    const v = fs[j] as number;
    if (Number.isNaN(v)) return;
    const d = this.deque;
    if (this.max) while (this.tail > this.head && (fs[d[this.tail - 1] as number] as number) < v) this.tail--;
    else while (this.tail > this.head && (fs[d[this.tail - 1] as number] as number) > v) this.tail--;
    if (this.tail === d.length) {
      // Compact to the front, growing when the live part fills the array.
      const live = this.tail - this.head;
      const next = live * 2 > d.length ? new Int32Array(d.length * 2) : d;
      for (let k = 0; k < live; k++) next[k] = d[this.head + k] as number;
      this.deque = next;
      this.head = 0;
      this.tail = live;
    }
    this.deque[this.tail++] = j;
  }
}

function sliding(max: boolean): RangeFunction {
  const key = max ? 'max_over_time:sliding' : 'min_over_time:sliding';
  return (w, _params, _call, ctx) => {
    let s = ctx.cache.get(key) as SlidingExtreme | undefined;
    if (s === undefined) {
      s = new SlidingExtreme(max);
      ctx.cache.set(key, s);
    }
    return s.at(w);
  };
}

/** The selections over time, keyed by PromQL name. */
export const extremaFunctions = {
  max_over_time: { kind: 'range', fn: sliding(true) },
  min_over_time: { kind: 'range', fn: sliding(false) },
  ts_of_max_over_time: { kind: 'range', fn: extreme((cur, best) => cur >= best || Number.isNaN(best), true) },
  ts_of_min_over_time: { kind: 'range', fn: extreme((cur, best) => cur <= best || Number.isNaN(best), true) },
  ts_of_first_over_time: { kind: 'range', fn: ({ ts, lo, hi }) => (hi > lo ? (ts[lo] as number) / 1000 : null) },
  ts_of_last_over_time: { kind: 'range', fn: ({ ts, lo, hi }) => (hi > lo ? (ts[hi - 1] as number) / 1000 : null) },
} satisfies Record<string, FunctionImpl>;
