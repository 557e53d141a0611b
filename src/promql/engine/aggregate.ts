/**
 * PromQL's aggregation operators (`sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar`, `quantile`,
 * `topk`, `bottomk`, `limitk`, `limit_ratio`, `count_values`), one evaluation step at a time, with upstream's
 * results, errors and warnings (promql/engine.go `rangeEvalAgg`, `aggregation`, `aggregationK`,
 * `aggregationCountValues`).
 *
 * Per-expression state (grouping memoised per series, reusable accumulators) lives in `ctx.cache` under the key
 * `'aggregate'`, keyed by the AggregateExpr, so the evaluator may share one EvalContext between expressions.
 */
import type { AggregateExpr } from '../parser/index.ts';
import { CountValuesAggregator } from './aggregate-count-values.ts';
import { FloatAggregator } from './aggregate-float.ts';
import { KAggregator } from './aggregate-k.ts';
import { checkParamValues } from './aggregate-params.ts';
import type { EvalContext } from './function-types.ts';
import type { Vector } from './value.ts';

interface AggregateState {
  readonly impl: FloatAggregator | KAggregator | CountValuesAggregator;
  /** checkAggregateParam ran for the current evaluation: steps skip their own parameter checks. */
  rangeChecked: boolean;
}

const cacheKey = 'aggregate';

function stateOf(e: AggregateExpr, param: number | string | null, ctx: EvalContext): AggregateState {
  let states = ctx.cache.get(cacheKey) as Map<AggregateExpr, AggregateState> | undefined;
  if (states === undefined) {
    states = new Map();
    ctx.cache.set(cacheKey, states);
  }
  let state = states.get(e);
  if (state === undefined) {
    state = { impl: makeAggregator(e, param), rangeChecked: false };
    states.set(e, state);
  }
  return state;
}

function makeAggregator(e: AggregateExpr, param: number | string | null): AggregateState['impl'] {
  switch (e.op) {
    case 'count_values':
      return new CountValuesAggregator(typeof param === 'string' ? param : '', e.grouping, e.without);
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio':
      return new KAggregator(e.op, e.grouping, e.without);
    default:
      return new FloatAggregator(e.op, e.grouping, e.without);
  }
}

/**
 * Checks the parameter of `e` over a whole range evaluation, as upstream does once before its step loop: call it
 * with the parameter's value at every step (for `topk`, `bottomk`, `limitk`, `limit_ratio`, `quantile`) before
 * the steps' `aggregate` calls on the same `ctx`, which then skip their per-step checks. Throws
 * QueryExecutionError (`Parameter value is NaN`, `Ratio value is NaN`, `Scalar value X overflows int64`…) and
 * adds warnings (`quantile value should be between 0 and 1, got X`, `ratio value should be between -1 and 1, got
 * X, capping to Y`) with the extreme value over the range. Returns false when every step's result is empty, so
 * the steps may be skipped.
 *
 * Without this call each step checks its own value: identical for instant queries and constant parameters; a
 * range query whose parameter varies then gets one warning per distinct out-of-range value.
 */
export function checkAggregateParam(e: AggregateExpr, values: ArrayLike<number>, ctx: EvalContext): boolean {
  const ok = checkParamValues(e, values, ctx.annotations);
  stateOf(e, null, ctx).rangeChecked = true;
  return ok;
}

/**
 * Aggregates `input`, the operand's samples at evaluation time `ctx.ts` (one per series; the same Labels object
 * for a series at every step), into a new vector stamped `ctx.ts`. `param` is the parameter's value at this
 * step: a number for `topk`, `bottomk`, `limitk`, `limit_ratio` and `quantile`, the label name for
 * `count_values`, null otherwise. Call it for every step, an empty `input` included (a NaN k still fails).
 *
 * Output: `sum` and the other float aggregations give one sample per group, labelled with the grouping labels
 * (`by`: those labels; `without`: the rest less `__name__`), `dropName` set when any sample of the group had it;
 * `topk`/`bottomk`/`limitk`/`limit_ratio` give input samples with their own labels and `dropName`;
 * `count_values` one sample per group and value, `dropName` false. Throws QueryExecutionError as upstream.
 */
export function aggregate(e: AggregateExpr, param: number | string | null, input: Vector, ctx: EvalContext): Vector {
  const state = stateOf(e, param, ctx);
  const impl = state.impl;
  if (impl instanceof CountValuesAggregator) return impl.step(input, ctx.ts);
  const value = typeof param === 'number' ? param : Number.NaN;
  if (impl instanceof KAggregator) {
    if (!state.rangeChecked && !checkParamValues(e, [value], ctx.annotations)) return [];
    return impl.step(input, value, ctx.ts);
  }
  if (e.op === 'quantile' && !state.rangeChecked) checkParamValues(e, [value], ctx.annotations);
  return impl.step(input, value, ctx.ts);
}
