/**
 * Arithmetic functions over instant vectors (`abs`, `ceil`, `floor`, `exp`, `sqrt`, `ln`, `log2`, `log10`, `sgn`,
 * `round`, `clamp*`, `deg`, `rad`) and `vector`. All drop the metric name. Transcendental functions use Go's
 * algorithms so results match upstream to the last bit.
 */
import { Labels } from '../../../model/index.ts';
import type { EvalContext, FunctionImpl, InstantArg, InstantFunction } from '../function-types.ts';
import type { Vector } from '../value.ts';
import { goExp, goLog, goLog2, goLog10 } from './go-exp-log.ts';
import { mapValues, scalarArg, vectorArg, withoutName } from './shared.ts';

/** An instant function applying `fn` to each sample's value. */
export function valueFunction(fn: (f: number) => number): FunctionImpl {
  return { kind: 'instant', fn: (args, _call, ctx) => mapValues(vectorArg(args, 0), ctx, fn) };
}

function sgn(v: number): number {
  if (v < 0) return -1;
  if (v > 0) return 1;
  return v;
}

/** `round(v, to_nearest=1)`: ties round up, as `Floor(f/to_nearest + 0.5) × to_nearest` through the inverse. */
const round: InstantFunction = (args, _call, ctx) => {
  const toNearest = args.length >= 2 ? scalarArg(args, 1) : 1;
  const inverse = 1.0 / toNearest;
  return mapValues(vectorArg(args, 0), ctx, (f) => Math.floor(f * inverse + 0.5) / inverse);
};

/** Clamps every value into [min, max]; an empty result when max < min. NaN bounds propagate as Go's Max/Min do. */
function clampVector(args: readonly InstantArg[], min: number, max: number, ctx: EvalContext): Vector {
  if (max < min) return [];
  return mapValues(vectorArg(args, 0), ctx, (f) => goMax(min, goMin(max, f)));
}

/** Go's `math.Max`: NaN wins, +0 beats -0. */
function goMax(x: number, y: number): number {
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? y : x;
  return Math.max(x, y);
}

/** Go's `math.Min`: NaN wins, -0 beats +0. */
function goMin(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY || y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0 && x === y) return Object.is(x, -0) ? x : y;
  return Math.min(x, y);
}

/** `vector(s)`: one sample with no labels. */
const vector: InstantFunction = (args, _call, ctx) => [
  { metric: Labels.empty, t: ctx.ts, f: scalarArg(args, 0), dropName: false },
];

/** `timestamp(v)`: each sample's own timestamp in seconds (the evaluator passes raw sample times for selectors). */
const timestamp: InstantFunction = (args, _call, ctx) =>
  vectorArg(args, 0).map((s) => withoutName(s.metric, s.t / 1000, ctx));

/** The arithmetic functions, keyed by PromQL name. */
export const mathFunctions = {
  abs: valueFunction(Math.abs),
  ceil: valueFunction(Math.ceil),
  floor: valueFunction(Math.floor),
  exp: valueFunction(goExp),
  sqrt: valueFunction(Math.sqrt),
  ln: valueFunction(goLog),
  log2: valueFunction(goLog2),
  log10: valueFunction(goLog10),
  sgn: valueFunction(sgn),
  deg: valueFunction((v) => (v * 180) / Math.PI),
  rad: valueFunction((v) => (v * Math.PI) / 180),
  round: { kind: 'instant', fn: round },
  clamp: {
    kind: 'instant',
    fn: (args, _call, ctx) => clampVector(args, scalarArg(args, 1), scalarArg(args, 2), ctx),
  },
  clamp_min: {
    kind: 'instant',
    fn: (args, _call, ctx) => clampVector(args, scalarArg(args, 1), Number.POSITIVE_INFINITY, ctx),
  },
  clamp_max: {
    kind: 'instant',
    fn: (args, _call, ctx) => clampVector(args, Number.NEGATIVE_INFINITY, scalarArg(args, 1), ctx),
  },
  vector: { kind: 'instant', fn: vector },
  timestamp: { kind: 'instant', fn: timestamp },
} satisfies Record<string, FunctionImpl>;
