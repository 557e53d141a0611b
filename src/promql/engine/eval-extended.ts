/**
 * The `anchored` and `smoothed` range selector modifiers (experimental upstream). Instead of extrapolating, the
 * window's boundary values come from the samples around it: anchored takes the last sample at or before the
 * window start (within the lookback delta) as the start; smoothed interpolates linearly at both boundaries.
 * Counter functions (`rate`, `increase`) interpolate on reset-adjusted values.
 */
import type { Call, MatrixSelector, VectorSelector } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import { type RangeSeries, selectorSource } from './eval-selectors.ts';
import { type Evaluator, mergeSameLabels } from './evaluator.ts';
import { dropMetricName } from './labels.ts';
import type { Matrix } from './value.ts';

const anchoredFunctions = ['changes', 'delta', 'increase', 'rate', 'resets'];
const smoothedFunctions = ['delta', 'increase', 'rate'];

export function isExtended(ms: MatrixSelector): 'anchored' | 'smoothed' | null {
  const vs = ms.vectorSelector as VectorSelector;
  return vs.anchored ? 'anchored' : vs.smoothed ? 'smoothed' : null;
}

/** Evaluates `rate`, `increase`, `delta`, `changes` or `resets` over an anchored or smoothed range selector. */
export function evalExtendedRange(ev: Evaluator, e: Call, ms: MatrixSelector, mode: 'anchored' | 'smoothed'): Matrix {
  const name = e.func.name;
  const allowed = mode === 'anchored' ? anchoredFunctions : smoothedFunctions;
  if (!allowed.includes(name)) {
    throw new QueryExecutionError(`${mode} modifier can only be used with: ${allowed.join(', ')} - not with ${name}`);
  }
  const lookback = ev.ctx.settings.lookbackDeltaMs;
  const src = selectorSource(ev, ms, lookback, mode === 'smoothed' ? lookback : 0);
  const counter = name === 'rate' || name === 'increase';
  const out: Matrix = [];
  const delayed = ev.delayedNameRemoval;
  src.forEach((rs) => {
    const ts: number[] = [];
    const fs: number[] = [];
    for (let t = ev.startMs; t <= ev.endMs; t += ev.intervalMs) {
      const ref = (src.timestampMs ?? t) - src.offsetMs;
      const v =
        mode === 'anchored'
          ? anchored(rs, name, ref - src.rangeMs, ref, lookback)
          : smoothed(rs, ref - src.rangeMs, ref, lookback, counter);
      if (v === null) continue;
      ts.push(t);
      fs.push(name === 'rate' ? v / (src.rangeMs / 1000) : v);
    }
    if (ts.length === 0) return;
    ev.ctx.hold(ts.length);
    out.push({ metric: delayed ? rs.metric : dropMetricName(rs.metric), ts, fs, dropName: delayed });
  });
  return delayed ? out : mergeSameLabels(out);
}

/** First index with a time above `t` (binary search). */
function upper(s: RangeSeries, t: number): number {
  let lo = 0;
  let hi = s.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((s.ts[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function anchored(s: RangeSeries, name: string, from: number, to: number, lookback: number): number | null {
  const lo = upper(s, from);
  const hi = upper(s, to);
  if (lo === hi) return null;
  const first = lo > 0 && (s.ts[lo - 1] as number) > from - lookback ? lo - 1 : lo;
  const fs = s.fs;
  switch (name) {
    case 'delta':
      return (fs[hi - 1] as number) - (fs[first] as number);
    case 'changes':
    case 'resets': {
      let n = 0;
      for (let i = first + 1; i < hi; i++) {
        const prev = fs[i - 1] as number;
        const cur = fs[i] as number;
        if (name === 'resets' ? cur < prev : cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) n++;
      }
      return n;
    }
    default: {
      let inc = (fs[hi - 1] as number) - (fs[first] as number);
      for (let i = first + 1; i < hi; i++) {
        const prev = fs[i - 1] as number;
        if ((fs[i] as number) < prev) inc += prev;
      }
      return inc;
    }
  }
}

function smoothed(s: RangeSeries, from: number, to: number, lookback: number, counter: boolean): number | null {
  const lo = upper(s, from);
  const hi = upper(s, to);
  if (hi === 0 || (s.ts[hi - 1] as number) <= from - lookback) return null;
  if (lo >= s.n || (s.ts[lo] as number) > to + lookback) return null;
  const before = lo > 0 && (s.ts[lo - 1] as number) > from - lookback ? lo - 1 : -1;
  const after = hi < s.n && (s.ts[hi] as number) <= to + lookback ? hi : -1;
  const firstIdx = before >= 0 ? before : lo;
  const lastIdx = after >= 0 ? after : hi - 1;
  // Reset-adjusted values over the samples used, for counters.
  const value = (i: number): number => adjusted[i - firstIdx] as number;
  const adjusted: number[] = [];
  let offset = 0;
  for (let i = firstIdx; i <= lastIdx; i++) {
    const v = s.fs[i] as number;
    if (counter && i > firstIdx && v < (s.fs[i - 1] as number)) offset += s.fs[i - 1] as number;
    adjusted.push(v + offset);
  }
  const at = (i: number, j: number, t: number): number => {
    const t0 = s.ts[i] as number;
    const t1 = s.ts[j] as number;
    return value(i) + ((value(j) - value(i)) * (t - t0)) / (t1 - t0);
  };
  const startV = before >= 0 ? at(before, lo, from) : value(lo);
  const endV = after >= 0 && hi - 1 >= firstIdx ? at(hi - 1, after, to) : value(hi - 1);
  return endV - startV;
}
