/**
 * Function calls: the ones the evaluator computes itself (scalars of the query, `absent`, `absent_over_time`,
 * `timestamp` of a selector, `scalar`), instant-vector functions through `rangeEval`, and range-vector functions
 * through a window sliding over each series of their range selector or subquery.
 */
import { Labels, LabelsBuilder, metricNameLabel } from '../../model/index.ts';
import type { Call, Expr, MatrixSelector } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import { evalExtendedRange, isExtended } from './eval-extended.ts';
import { evalInfo } from './eval-info.ts';
import { evalVectorSelector, type RangeSource, selectorSource, subquerySource } from './eval-selectors.ts';
import { type Evaluator, mergeSameLabels } from './evaluator.ts';
import type { FunctionImpl, InstantArg, RangeFunction, RangeWindow } from './function-types.ts';
import { functionImpls } from './functions/index.ts';
import { dropMetricName } from './labels.ts';
import type { Matrix, Series, Vector } from './value.ts';

function unwrap(e: Expr): Expr {
  let n = e;
  while (n.type === 'ParenExpr' || n.type === 'StepInvariantExpr') n = n.expr;
  return n;
}

const dateFunctions: ReadonlySet<string> = new Set([
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
]);

export function evalCall(ev: Evaluator, e: Call): Matrix {
  const name = e.func.name;
  const s = ev.ctx.settings;
  switch (name) {
    case 'time':
      return ev.scalarSeries((t) => t / 1000);
    case 'pi':
      return ev.constant(Math.PI);
    case 'start':
      return ev.constant(s.queryStartMs / 1000);
    case 'end':
      return ev.constant(s.queryEndMs / 1000);
    case 'step':
      return ev.constant(s.queryStepMs / 1000);
    case 'range':
      return ev.constant((s.queryEndMs - s.queryStartMs) / 1000);
    case 'min_of':
    case 'max_of':
      return ev.rangeEval(e.args, (args, t) => [
        {
          metric: Labels.empty,
          t,
          f:
            name === 'min_of'
              ? Math.min(args[0] as number, args[1] as number)
              : Math.max(args[0] as number, args[1] as number),
          dropName: false,
        },
      ]);
    case 'scalar':
      return ev.rangeEval(e.args, (args, t) => {
        const v = args[0] as Vector;
        return [{ metric: Labels.empty, t, f: v.length === 1 ? (v[0]?.f as number) : Number.NaN, dropName: false }];
      });
    case 'absent': {
      const labels = absentLabels(e.args[0] as Expr);
      return ev.rangeEval(e.args, (args, t) =>
        (args[0] as Vector).length > 0 ? [] : [{ metric: labels, t, f: 1, dropName: false }],
      );
    }
    case 'info':
      return evalInfo(ev, e);
    case 'timestamp': {
      const arg = unwrap(e.args[0] as Expr);
      if (arg.type === 'VectorSelector') return nameDropped(ev, evalVectorSelector(ev, arg, 'timestamp'));
      break;
    }
  }
  const impl: FunctionImpl | undefined = Object.hasOwn(functionImpls, name)
    ? (functionImpls as Record<string, FunctionImpl>)[name]
    : undefined;
  if (impl?.kind === 'range' || name === 'absent_over_time') {
    const idx = e.args.findIndex((a) => {
      const u = unwrap(a);
      return u.type === 'MatrixSelector' || u.type === 'SubqueryExpr';
    });
    if (idx < 0) throw new QueryExecutionError(`${name}: expected a range vector argument`);
    const arg = unwrap(e.args[idx] as Expr);
    const mode = arg.type === 'MatrixSelector' ? isExtended(arg) : null;
    if (mode !== null) return evalExtendedRange(ev, e, arg as MatrixSelector, mode);
    if (impl?.kind === 'range') return evalRangeFunction(ev, e, idx, impl.fn, impl.keepName === true);
    return evalRangeFunction(ev, e, idx, () => 1, false);
  }
  if (impl === undefined) throw new QueryExecutionError(`function "${name}" is not implemented`);
  const ctx = ev.functionContext();
  const fn = impl.fn;
  if (dateFunctions.has(name) && e.args.length === 0) {
    return ev.rangeEval([], (_args, t) => {
      ctx.ts = t;
      return fn([[{ metric: Labels.empty, t, f: t / 1000, dropName: false }]], e, ctx);
    });
  }
  if (name === 'round' && e.args.length === 1) {
    return ev.rangeEval(e.args, (args, t) => {
      ctx.ts = t;
      return fn([args[0] as InstantArg, 1], e, ctx);
    });
  }
  return ev.rangeEval(e.args, (args, t) => {
    ctx.ts = t;
    return fn(args, e, ctx);
  });
}

function nameDropped(ev: Evaluator, m: Matrix): Matrix {
  for (const s of m) {
    if (ev.delayedNameRemoval) s.dropName = true;
    else s.metric = dropMetricName(s.metric);
  }
  return ev.delayedNameRemoval ? m : mergeSameLabels(m);
}

const emptyFloats = new Float64Array(0);

/** A window object the driver moves along a series; handed to range functions as a RangeWindow. */
interface MutableWindow {
  metric: Labels;
  ts: Float64Array;
  fs: Float64Array;
  n: number;
  lo: number;
  hi: number;
  rangeStartMs: number;
  rangeEndMs: number;
}

function evalRangeFunction(ev: Evaluator, e: Call, matrixIdx: number, fn: RangeFunction, keepName: boolean): Matrix {
  const other = e.args.map((a, i) => (i === matrixIdx ? null : ev.eval(a)));
  const inner = unwrap(e.args[matrixIdx] as Expr);
  const src: RangeSource =
    inner.type === 'MatrixSelector'
      ? selectorSource(ev, inner)
      : subquerySource(ev, inner as Extract<Expr, { type: 'SubqueryExpr' }>);
  const ctx = ev.functionContext();
  const steps = ev.stepCount;
  const params: number[] = [];
  const paramSeries = other.filter((m): m is Matrix => m !== null).map((m) => m[0]);
  const delayed = ev.delayedNameRemoval;
  const out: Matrix = [];
  const win: MutableWindow = {
    metric: Labels.empty,
    ts: emptyFloats,
    fs: emptyFloats,
    n: 0,
    lo: 0,
    hi: 0,
    rangeStartMs: 0,
    rangeEndMs: 0,
  };
  const isAbsent = e.func.name === 'absent_over_time';
  const { timestampMs, offsetMs, rangeMs } = src;
  const { startMs, intervalMs } = ev;
  const nParams = paramSeries.length;
  src.forEach((rs) => {
    win.metric = rs.metric;
    win.ts = rs.ts;
    win.fs = rs.fs;
    win.n = rs.n;
    const rts = rs.ts;
    const n = rs.n;
    let lo = 0;
    let hi = 0;
    const ts: number[] = [];
    const fs: number[] = [];
    for (let step = 0, t = startMs; step < steps; step++, t += intervalMs) {
      const ref = (timestampMs ?? t) - offsetMs;
      const from = ref - rangeMs;
      while (hi < n && (rts[hi] as number) <= ref) hi++;
      while (lo < hi && (rts[lo] as number) <= from) lo++;
      if (hi === lo) continue;
      if (nParams > 0) {
        params.length = 0;
        for (const p of paramSeries) params.push(p === undefined ? Number.NaN : (p.fs[step] as number));
      }
      win.lo = lo;
      win.hi = hi;
      win.rangeStartMs = from;
      win.rangeEndMs = ref;
      ctx.ts = t;
      const v = isAbsent ? 1 : fn(win as RangeWindow, params, e, ctx);
      if (v === null) continue;
      ts.push(t);
      fs.push(v);
    }
    if (ts.length === 0) return;
    ev.ctx.hold(ts.length);
    const series: Series = { metric: rs.metric, ts, fs, dropName: rs.dropName };
    if (!keepName) {
      if (delayed) series.dropName = true;
      else series.metric = dropMetricName(rs.metric);
    }
    out.push(series);
  });
  if (isAbsent) return absentOverTime(ev, e, out);
  return delayed || keepName ? out : mergeSameLabels(out);
}

/** `absent_over_time`: 1 at the steps where no series had a sample in its window. */
function absentOverTime(ev: Evaluator, e: Call, present: Matrix): Matrix {
  const found = new Set<number>();
  for (const s of present) for (const t of s.ts) found.add(t);
  const ts: number[] = [];
  const fs: number[] = [];
  for (let t = ev.startMs; t <= ev.endMs; t += ev.intervalMs) {
    if (!found.has(t)) {
      ts.push(t);
      fs.push(1);
    }
  }
  if (ts.length === 0) return [];
  const arg = unwrap(e.args[0] as Expr);
  const labels = arg.type === 'MatrixSelector' ? absentLabels(arg.vectorSelector) : Labels.empty;
  return [{ metric: labels, ts, fs, dropName: false }];
}

/** The labels `absent()` gives its output: the selector's equality matchers, except names matched twice. */
function absentLabels(arg: Expr): Labels {
  const n = unwrap(arg);
  const sel = n.type === 'MatrixSelector' ? unwrap(n.vectorSelector) : n;
  if (sel.type !== 'VectorSelector') return Labels.empty;
  const b = new LabelsBuilder();
  const drop: string[] = [];
  const set = new Set<string>();
  for (const m of sel.labelMatchers) {
    if (m.name === metricNameLabel) continue;
    if (m.type === '=' && !set.has(m.name)) {
      b.set(m.name, m.value);
      set.add(m.name);
    } else drop.push(m.name);
  }
  for (const d of drop) b.del(d);
  return b.labels();
}
