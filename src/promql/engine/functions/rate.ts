/**
 * `rate`, `increase`, `delta` (extrapolated to the window's boundaries) and `irate`, `idelta` (from the last two
 * points), as upstream's `extrapolatedRate` and `instantValue` for float samples. Fewer than two points give no
 * sample. Anchored and smoothed selectors are the evaluator's, not these.
 */

import type { Call } from '../../parser/index.ts';
import { goQuote } from '../../parser/index.ts';
import type { EvalContext, FunctionImpl, RangeFunction, RangeWindow } from '../function-types.ts';
import { annotate } from './shared.ts';

/** Go's `time.Duration.Seconds()` of a duration given in milliseconds. */
export function durationSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  return sec + ((ms - sec * 1000) * 1e6) / 1e9;
}

/**
 * The increase over the window extrapolated towards its boundaries: all the way when the first/last point is
 * within 1.1 average intervals of the boundary, else by half an interval; a counter is never extrapolated below
 * zero. Counter resets add the value before the drop. Per second over the range when `isRate`.
 */
function extrapolatedRate(
  w: RangeWindow,
  isCounter: boolean,
  isRate: boolean,
  resets: ResetIndex | null = null,
): number | null {
  const { ts, fs, lo, hi } = w;
  if (hi - lo < 2) return null;
  const numSamplesMinusOne = hi - lo - 1;
  const firstT = ts[lo] as number;
  const lastT = ts[hi - 1] as number;
  const first = fs[lo] as number;
  let result = (fs[hi - 1] as number) - first;
  if (isCounter && (resets === null || resets.any(w))) {
    for (let i = lo + 1; i < hi; i++) {
      const prev = fs[i - 1] as number;
      if ((fs[i] as number) < prev) result += prev;
    }
  }
  let durationToStart = (firstT - w.rangeStartMs) / 1000;
  let durationToEnd = (w.rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageDurationBetweenSamples = sampledInterval / numSamplesMinusOne;
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  if (isCounter) {
    // Where the counter would have been zero, if that is nearer than the start of the window.
    let durationToZero = durationToStart;
    if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= durationSeconds(w.rangeEndMs - w.rangeStartMs);
  return result * factor;
}

const counterSuffixes = ['_total', '_sum', '_count', '_bucket'];
const lastCheckedKey = 'rate:last-checked-metric';

/**
 * The info upstream gives when `rate`/`increase` produce a value for a series whose name does not look like a
 * counter's, positioned at the matrix argument.
 */
function noteNonCounter(w: RangeWindow, call: Call, ctx: EvalContext): void {
  // Once per series: the window's metric stays the same object across the steps of one series.
  if (ctx.cache.get(lastCheckedKey) === w.metric) return;
  ctx.cache.set(lastCheckedKey, w.metric);
  const name = w.metric.metricName();
  if (name === '' || counterSuffixes.some((s) => name.endsWith(s))) return;
  annotate(
    ctx,
    'info',
    `metric might not be a counter, name does not end in _total/_sum/_count/_bucket: ${goQuote(name)}`,
    call.args[0] ?? null,
  );
}

/**
 * Where a series' counter resets are, so that windows without one (nearly all) skip the scan for them: a prefix
 * count of drops over the series' points, built once per series of a call (the window's metric identifies the
 * series; the evaluator reuses the point arrays between series).
 */
class ResetIndex {
  private metric: RangeWindow['metric'] | null = null;
  private prefix = new Int32Array(0);

  /** Whether the window `[lo, hi)` has a drop between two of its points. */
  any(w: RangeWindow): boolean {
    if (w.metric !== this.metric) this.build(w);
    return (this.prefix[w.hi - 1] as number) - (this.prefix[w.lo] as number) > 0;
  }

  private build(w: RangeWindow): void {
    this.metric = w.metric;
    const { fs, n } = w;
    if (this.prefix.length < n) this.prefix = new Int32Array(Math.max(n, this.prefix.length * 2));
    const p = this.prefix;
    p[0] = 0;
    for (let i = 1; i < n; i++) p[i] = (p[i - 1] as number) + ((fs[i] as number) < (fs[i - 1] as number) ? 1 : 0);
  }
}

const resetIndexKey = 'rate:reset-index';

/** `rate` (isRate) or `increase`: extrapolated counter increase, with the non-counter info. */
function counterFunction(isRate: boolean): RangeFunction {
  return (w, _params, call, ctx) => {
    let resets = ctx.cache.get(resetIndexKey) as ResetIndex | undefined;
    if (resets === undefined) {
      resets = new ResetIndex();
      ctx.cache.set(resetIndexKey, resets);
    }
    const v = extrapolatedRate(w, true, isRate, resets);
    if (v !== null) noteNonCounter(w, call, ctx);
    return v;
  };
}

/**
 * The difference of the last two points (`idelta`), or for `irate` the per-second rate between them, taking the
 * last value alone as the increase after a counter reset. Two points at the same time give no sample.
 */
function instantValue(isRate: boolean): RangeFunction {
  return ({ ts, fs, lo, hi }) => {
    if (hi - lo < 2) return null;
    const prev = fs[hi - 2] as number;
    const last = fs[hi - 1] as number;
    const sampledInterval = (ts[hi - 1] as number) - (ts[hi - 2] as number);
    if (sampledInterval === 0) return null;
    let result = last;
    if (!isRate || !(last < prev)) result = last - prev;
    if (isRate) result /= sampledInterval / 1000;
    return result;
  };
}

/** The rate functions, keyed by PromQL name. */
export const rateFunctions = {
  rate: { kind: 'range', fn: counterFunction(true) },
  increase: { kind: 'range', fn: counterFunction(false) },
  delta: { kind: 'range', fn: (w) => extrapolatedRate(w, false, false) },
  irate: { kind: 'range', fn: instantValue(true) },
  idelta: { kind: 'range', fn: instantValue(false) },
} satisfies Record<string, FunctionImpl>;
