/**
 * The checks upstream's `rangeEvalAgg` makes on an aggregation's parameter before its first step: errors for a
 * NaN or out-of-int64 k, warnings for a quantile outside [0, 1] or a ratio outside [−1, 1]. They look at the
 * parameter's smallest and largest value over the whole range, with Go's `math.Min`/`math.Max` (NaN sticks,
 * ±Inf wins over NaN), so a range query warns once with the extreme value, not once per step.
 */
import type { AggregateExpr, Expr } from '../parser/index.ts';
import type { Annotations } from './annotations.ts';
import { QueryExecutionError } from './errors.ts';
import { formatGoFloatG } from './go-float.ts';

/** The largest float64 that converts to an int64 without overflow (2^63 − 1024), and the smallest (−2^63). */
const maxInt64 = 2 ** 63 - 1024;
const minInt64 = -(2 ** 63);

/** Go's `math.Max`: like Math.max (NaN sticks, +0 above −0), except that +Inf wins even over NaN. */
function goMax(a: number, b: number): number {
  if (a === Number.POSITIVE_INFINITY || b === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(a, b);
}

/** Go's `math.Min`: like Math.min, except that −Inf wins even over NaN. */
function goMin(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY || b === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  return Math.min(a, b);
}

/** The parameter expression without enclosing parentheses (upstream strips them before evaluating). */
function paramExpr(e: AggregateExpr): Expr | null {
  let p = e.param;
  while (p !== null && p.type === 'ParenExpr') p = p.expr;
  return p;
}

/**
 * Checks the parameter of `e` given its values at every step of one evaluation (a single value for an instant
 * query). Throws QueryExecutionError `Parameter value is NaN`, `Ratio value is NaN`, or `Scalar value X
 * overflows int64` / `underflows int64`; adds upstream's warnings to `annotations`, positioned at the parameter.
 * Returns false when no step can yield a sample (every k below 1, or every ratio 0), in which case upstream
 * skips the other checks. Operators without a numeric parameter always pass.
 */
export function checkParamValues(e: AggregateExpr, values: ArrayLike<number>, annotations: Annotations): boolean {
  let max = -Number.MAX_VALUE;
  let min = Number.MAX_VALUE;
  let hasNaN = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    max = goMax(max, v);
    min = goMin(min, v);
    if (Number.isNaN(v)) hasNaN = true;
  }
  if (values.length === 0) max = min = 0; // upstream's zero fParams for a parameter without values
  const where = paramExpr(e);
  switch (e.op) {
    case 'topk':
    case 'bottomk':
    case 'limitk':
      if (max < 1) return false;
      if (hasNaN) throw new QueryExecutionError('Parameter value is NaN');
      if (min <= minInt64) throw new QueryExecutionError(`Scalar value ${formatGoFloatG(min)} underflows int64`);
      if (max >= maxInt64) throw new QueryExecutionError(`Scalar value ${formatGoFloatG(max)} overflows int64`);
      return true;
    case 'limit_ratio': {
      if (max === 0 && min === 0) return false;
      if (hasNaN) throw new QueryExecutionError('Ratio value is NaN');
      const text = 'ratio value should be between -1 and 1, got';
      if (max > 1) annotations.warn(`${text} ${formatGoFloatG(max)}, capping to 1`, where);
      if (min < -1) annotations.warn(`${text} ${formatGoFloatG(min)}, capping to -1`, where);
      return true;
    }
    case 'quantile': {
      const text = 'quantile value should be between 0 and 1, got';
      if (hasNaN) annotations.warn(`${text} NaN`, where);
      if (max > 1) annotations.warn(`${text} ${formatGoFloatG(max)}`, where);
      if (min < 0) annotations.warn(`${text} ${formatGoFloatG(min)}`, where);
      return true;
    }
    default:
      return true;
  }
}
