/**
 * Trend functions: `deriv` and `predict_linear` (least-squares line through the window, sums compensated as
 * upstream) and `double_exponential_smoothing` (Holt's linear method). Fewer than two points give no sample.
 */
import { formatFloatFixed6 } from '../../parser/go-numbers.ts';
import { QueryExecutionError } from '../errors.ts';
import type { FunctionImpl, RangeFunction, RangeWindow } from '../function-types.ts';
import { KahanSum } from '../kahan.ts';

const sumX = new KahanSum();
const sumY = new KahanSum();
const sumXY = new KahanSum();
const sumX2 = new KahanSum();

/** Slope (per second) and intercept at `interceptTimeMs` of the least-squares line; written here. */
const line = { slope: 0, intercept: 0 };

/**
 * Fits the window's points, x being seconds from `interceptTimeMs`. Constant values give slope 0 (or NaN for a
 * constant ±Inf).
 */
function linearRegression({ ts, fs, lo, hi }: RangeWindow, interceptTimeMs: number): void {
  sumX.reset();
  sumY.reset();
  sumXY.reset();
  sumX2.reset();
  const initY = fs[lo] as number;
  let constY = true;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const y = fs[i] as number;
    if (constY && i > lo && y !== initY) constY = false;
    n += 1;
    const x = ((ts[i] as number) - interceptTimeMs) / 1e3;
    sumX.add(x);
    sumY.add(y);
    sumXY.add(x * y);
    sumX2.add(x * x);
  }
  if (constY) {
    const inf = initY === Number.POSITIVE_INFINITY || initY === Number.NEGATIVE_INFINITY;
    line.slope = inf ? Number.NaN : 0;
    line.intercept = inf ? Number.NaN : initY;
    return;
  }
  const sx = sumX.sum + sumX.c;
  const sy = sumY.sum + sumY.c;
  const sxy = sumXY.sum + sumXY.c;
  const sx2 = sumX2.sum + sumX2.c;
  const covXY = sxy - (sx * sy) / n;
  const varX = sx2 - (sx * sx) / n;
  line.slope = covXY / varX;
  line.intercept = sy / n - (line.slope * sx) / n;
}

/** `deriv(m)`: the per-second slope, fitted relative to the first point's time for precision. */
const deriv: RangeFunction = (w) => {
  if (w.hi - w.lo < 2) return null;
  linearRegression(w, w.ts[w.lo] as number);
  return line.slope;
};

/** `predict_linear(m, t)`: the fitted value `t` seconds after the evaluation time `ctx.ts`. */
const predictLinear: RangeFunction = (w, params, _call, ctx) => {
  if (w.hi - w.lo < 2) return null;
  linearRegression(w, ctx.ts);
  return line.slope * (params[0] as number) + line.intercept;
};

/**
 * `double_exponential_smoothing(m, sf, tf)`: the last smoothed value. Throws when a factor is not strictly
 * between 0 and 1 (a NaN factor passes, as upstream).
 */
const doubleExponentialSmoothing: RangeFunction = ({ fs, lo, hi }, params) => {
  const sf = params[0] as number;
  const tf = params[1] as number;
  if (sf <= 0 || sf >= 1) {
    throw new QueryExecutionError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${formatFloatFixed6(sf)}`);
  }
  if (tf <= 0 || tf >= 1) {
    throw new QueryExecutionError(`invalid trend factor. Expected: 0 < tf < 1, got: ${formatFloatFixed6(tf)}`);
  }
  if (hi - lo < 2) return null;
  let s0 = 0;
  let s1 = fs[lo] as number;
  let b = (fs[lo + 1] as number) - s1;
  for (let i = lo + 1; i < hi; i++) {
    const x = sf * (fs[i] as number);
    // The trend: the raw first difference at the first step, then smoothed.
    if (i - 1 > lo) b = tf * (s1 - s0) + (1 - tf) * b;
    const y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
};

/** The trend functions, keyed by PromQL name. */
export const regressionFunctions = {
  deriv: { kind: 'range', fn: deriv },
  predict_linear: { kind: 'range', fn: predictLinear },
  double_exponential_smoothing: { kind: 'range', fn: doubleExponentialSmoothing },
} satisfies Record<string, FunctionImpl>;
