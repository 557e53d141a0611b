/**
 * Selectors and subqueries: instant vector selectors with the lookback window, range selectors and subqueries as
 * raw points, and the sliding window that range-vector functions read.
 */
import { isStaleNaN, type Labels, type Matcher } from '../../model/index.ts';
import { readSamples, SampleBuffer, type SampleCursor, type SeriesSet } from '../../storage/index.ts';
import type { MatrixSelector, SubqueryExpr, VectorSelector } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import type { Matrix } from './value.ts';

/**
 * An instant vector selector at every step: the latest sample in `(ref - lookback, ref]` where ref is the step
 * (or the `@` time) minus the offset, unless that sample is a staleness marker. `timestamp` mode yields the
 * sample's time in seconds instead of its value (for `timestamp()`).
 */
export function evalVectorSelector(ev: Evaluator, sel: VectorSelector, mode: 'value' | 'timestamp'): Matrix {
  const lookback = ev.ctx.settings.lookbackDeltaMs;
  const offset = sel.originalOffsetMs;
  const at = sel.timestampMs;
  const refStart = (at ?? ev.startMs) - offset;
  const smooth = sel.smoothed;
  const refEnd = (at ?? ev.endMs) - offset + (smooth ? lookback : 0);
  const mint = refStart - lookback + 1;
  const out: Matrix = [];
  eachSeries(ev, mint, refEnd, sel.labelMatchers, (labels, buf) => {
    const n = buf.n;
    const bts = buf.ts;
    const bvs = buf.vs;
    const ts: number[] = [];
    const fs: number[] = [];
    let i = 0;
    for (let t = ev.startMs; t <= ev.endMs; t += ev.intervalMs) {
      const ref = (at ?? t) - offset;
      while (i < n && (bts[i] as number) <= ref) i++;
      const p = i - 1;
      if (p < 0) continue;
      const prevT = bts[p] as number;
      const prevV = bvs[p] as number;
      if (prevT <= ref - lookback || isStaleNaN(prevV)) continue;
      let v = prevV;
      if (smooth && prevT < ref && i < n && (bts[i] as number) <= ref + lookback && !isStaleNaN(bvs[i] as number)) {
        const nextT = bts[i] as number;
        v = prevV + (((bvs[i] as number) - prevV) * (ref - prevT)) / (nextT - prevT);
      }
      ts.push(t);
      fs.push(mode === 'value' ? v : prevT / 1000);
    }
    if (ts.length > 0) {
      ev.ctx.hold(ts.length);
      out.push({ metric: labels, ts, fs, dropName: false });
    }
  });
  return out;
}

/** The points of one series that a range window slides over. */
export interface RangeSeries {
  metric: Labels;
  /** The name is to be dropped at the end (a subquery over a name-dropping expression). */
  dropName: boolean;
  ts: Float64Array;
  fs: Float64Array;
  n: number;
}

/** Where a range function's windows come from: a range selector or a subquery, with their modifiers. */
export interface RangeSource {
  readonly rangeMs: number;
  readonly offsetMs: number;
  readonly timestampMs: number | null;
  /** Calls `each` for every series, one at a time; the series' arrays are valid only during the call. */
  forEach(each: (s: RangeSeries) => void): void;
}

/**
 * A range selector as a source of windows: samples of `[first window start, last window end]` (widened by the
 * extras, for anchored and smoothed windows), stale markers dropped.
 */
export function selectorSource(ev: Evaluator, ms: MatrixSelector, extraBeforeMs = 0, extraAfterMs = 0): RangeSource {
  const sel = ms.vectorSelector as VectorSelector;
  const offset = sel.originalOffsetMs;
  const at = sel.timestampMs;
  const refStart = (at ?? ev.startMs) - offset;
  const refEnd = (at ?? ev.endMs) - offset + extraAfterMs;
  const mint = refStart - ms.rangeMs - extraBeforeMs + 1;
  return {
    rangeMs: ms.rangeMs,
    offsetMs: offset,
    timestampMs: at,
    forEach(each) {
      eachSeries(ev, mint, refEnd, sel.labelMatchers, (labels, buf) => {
        const n = dropStale(buf);
        ev.ctx.hold(n);
        each({ metric: labels, dropName: false, ts: buf.ts, fs: buf.vs, n });
        ev.ctx.release(n);
      });
    },
  };
}

/** A subquery as a source of windows: its inner expression evaluated at the subquery's steps. */
export function subquerySource(ev: Evaluator, sq: SubqueryExpr): RangeSource {
  const mat = evalSubquery(ev, sq);
  return {
    rangeMs: sq.rangeMs,
    offsetMs: sq.originalOffsetMs,
    timestampMs: sq.timestampMs,
    forEach(each) {
      for (const s of mat) {
        each({
          metric: s.metric,
          dropName: s.dropName,
          ts: Float64Array.from(s.ts),
          fs: Float64Array.from(s.fs),
          n: s.ts.length,
        });
      }
    },
  };
}

/** A range selector evaluated on its own (an instant query for `foo[5m]`): the raw points of the window. */
export function evalMatrixSelector(ev: Evaluator, ms: MatrixSelector): Matrix {
  const src = selectorSource(ev, ms);
  const ref = ((ms.vectorSelector as VectorSelector).timestampMs ?? ev.startMs) - src.offsetMs;
  const out: Matrix = [];
  src.forEach((s) => {
    const ts: number[] = [];
    const fs: number[] = [];
    for (let i = 0; i < s.n; i++) {
      const t = s.ts[i] as number;
      if (t > ref - ms.rangeMs && t <= ref) {
        ts.push(t);
        fs.push(s.fs[i] as number);
      }
    }
    if (ts.length > 0) {
      ev.ctx.hold(ts.length);
      out.push({ metric: s.metric, ts, fs, dropName: false });
    }
  });
  return out;
}

/**
 * A subquery: the inner expression evaluated at steps aligned to multiples of the subquery step, from the first
 * one after `start - offset - range` to `end - offset` (the `@` time standing in for start and end).
 */
export function evalSubquery(ev: Evaluator, sq: SubqueryExpr): Matrix {
  const interval = sq.stepMs > 0 ? sq.stepMs : ev.ctx.settings.defaultSubqueryStepMs;
  const offset = sq.originalOffsetMs;
  const from = (sq.timestampMs ?? ev.startMs) - offset - sq.rangeMs;
  let start = interval * Math.trunc(from / interval);
  if (start <= from) start += interval;
  const end = (sq.timestampMs ?? ev.endMs) - offset;
  if (start > end) return [];
  return ev.child(start, end, interval).eval(sq.expr);
}

/**
 * Reads every series matching `matchers` with samples in `[mint, maxt]` into one reused buffer and hands each to
 * `each` (the buffer is valid during the call only). Storage failures throw QueryExecutionError.
 */
function eachSeries(
  ev: Evaluator,
  mint: number,
  maxt: number,
  matchers: readonly Matcher[],
  each: (labels: Labels, buf: SampleBuffer) => void,
): void {
  const set = ev.ctx.select(mint, maxt, { start: mint, end: maxt, step: ev.intervalMs }, matchers);
  const buf = new SampleBuffer();
  let cursor: SampleCursor | undefined;
  while (set.next()) {
    ev.ctx.check();
    const series = set.at();
    cursor = series.cursor(cursor);
    buf.n = 0;
    const err = readSamples(cursor, mint, maxt, buf);
    if (err !== null) throw storageError(err);
    ev.ctx.samplesLoaded += buf.n;
    each(series.labels, buf);
  }
  finishSet(set, ev);
}

/** Removes staleness markers from `buf` in place; returns how many samples remain. */
function dropStale(buf: SampleBuffer): number {
  const { ts, vs } = buf;
  let w = 0;
  for (let r = 0; r < buf.n; r++) {
    const v = vs[r] as number;
    if (isStaleNaN(v)) continue;
    if (w !== r) {
      ts[w] = ts[r] as number;
      vs[w] = v;
    }
    w++;
  }
  buf.n = w;
  return w;
}

function finishSet(set: SeriesSet, ev: Evaluator): void {
  const err = set.err();
  if (err !== null) throw storageError(err);
  for (const w of set.warnings()) ev.ctx.annotations.warnings.add(w);
}

function storageError(err: Error): QueryExecutionError {
  const e = new QueryExecutionError(`error reading series: ${err.message}`, { cause: err });
  return e;
}
