/** Helpers for the function tests: contexts, parsed calls, windows and samples. Not part of the build. */
import { Labels } from '../../../model/index.ts';
import { allFeatures, type Call, parseExpr } from '../../parser/index.ts';
import { Annotations } from '../annotations.ts';
import type { EvalContext, FunctionImpl, InstantArg, RangeWindow } from '../function-types.ts';
import type { Sample, Vector } from '../value.ts';
import { functionImpls } from './index.ts';

/** A fresh context for `query` at `tsMs`, with delayed name removal unless told otherwise. */
export function context(query: string, tsMs = 0, delayedNameRemoval = true): EvalContext {
  return {
    ts: tsMs,
    queryStartMs: tsMs,
    queryEndMs: tsMs,
    annotations: new Annotations(query),
    delayedNameRemoval,
    cache: new Map(),
  };
}

/** The outermost call of `query` (parentheses around it are unwrapped). */
export function callOf(query: string): Call {
  let e = parseExpr(query, allFeatures);
  while (e.type === 'ParenExpr') e = e.expr;
  if (e.type !== 'Call') throw new Error(`${query} is not a function call`);
  return e;
}

/** Labels from a `{name="value", …}`-style record. */
export function labels(record: Record<string, string>): Labels {
  return Labels.fromObject(record);
}

/** A sample at time 0. */
export function sample(metric: Record<string, string>, f: number, t = 0): Sample {
  return { metric: labels(metric), t, f, dropName: false };
}

/**
 * The window of `points` ([seconds, value] pairs, increasing) that falls in `(endS - rangeS, endS]`, as the
 * evaluator selects it.
 */
export function window(points: [number, number][], endS: number, rangeS: number, metric = labels({})): RangeWindow {
  const ts = points.map(([t]) => t * 1000);
  const rangeStartMs = (endS - rangeS) * 1000;
  const rangeEndMs = endS * 1000;
  let lo = 0;
  while (lo < ts.length && (ts[lo] as number) <= rangeStartMs) lo++;
  let hi = lo;
  while (hi < ts.length && (ts[hi] as number) <= rangeEndMs) hi++;
  return {
    metric,
    ts: Float64Array.from(ts),
    fs: Float64Array.from(points.map(([, v]) => v)),
    n: ts.length,
    lo,
    hi,
    rangeStartMs,
    rangeEndMs,
  };
}

/** Points at `0, intervalS, 2·intervalS, …` with the given values. */
export function points(intervalS: number, values: number[]): [number, number][] {
  return values.map((v, i) => [i * intervalS, v] as [number, number]);
}

/** Points `start, start+step, …` (count of them) at `t0S, t0S+intervalS, …`, as the test language's `a+bxN`. */
export function series(t0S: number, intervalS: number, start: number, step: number, n: number): [number, number][] {
  return Array.from({ length: n + 1 }, (_, i) => [t0S + i * intervalS, start + i * step] as [number, number]);
}

function impl(name: string): FunctionImpl {
  const f = (functionImpls as Record<string, FunctionImpl>)[name];
  if (f === undefined) throw new Error(`no implementation of ${name}`);
  return f;
}

/** Runs the instant function of `query`'s outer call on `args`. */
export function runInstant(query: string, args: InstantArg[], ctx = context(query)): Vector {
  const f = impl(callOf(query).func.name);
  if (f.kind !== 'instant') throw new Error(`${query} is not an instant function`);
  return f.fn(args, callOf(query), ctx);
}

/** Runs the range function of `query`'s outer call on `w` with scalar `params`. */
export function runRange(query: string, w: RangeWindow, params: number[] = [], ctx = context(query)): number | null {
  const f = impl(callOf(query).func.name);
  if (f.kind !== 'range') throw new Error(`${query} is not a range function`);
  return f.fn(w, params, callOf(query), ctx);
}
