/**
 * Aggregation operators: series by series where the result at a step depends only on that step's samples
 * (`aggregateMatrix`), otherwise at every step through `rangeEval` and the per-step `aggregate`.
 */
import { type AggregateExpr, exprType } from '../parser/index.ts';
import { aggregate, checkAggregateParam } from './aggregate.ts';
import { aggregateMatrix } from './aggregate-series.ts';
import { countPoints, type Evaluator } from './evaluator.ts';
import type { Matrix, Vector } from './value.ts';

export function evalAggregate(ev: Evaluator, e: AggregateExpr): Matrix {
  const ctx = ev.functionContext();
  if (e.param === null) {
    const input = ev.eval(e.expr);
    const fast = aggregateMatrix(e, input, ev.startMs, ev.endMs, ev.intervalMs);
    if (fast !== null) {
      // Output held before the input is let go, as the per-step path does: the same peak.
      ev.ctx.hold(countPoints(fast));
      ev.ctx.release(countPoints(input));
      return fast;
    }
    return ev.stepwise(['vector'], [input], [''], (args, t) => {
      ctx.ts = t;
      return aggregate(e, null, args[0] as Vector, ctx);
    });
  }
  if (exprType(e.param) === 'string') {
    return ev.rangeEval([e.param, e.expr], (args, t) => {
      ctx.ts = t;
      return aggregate(e, args[0] as string, args[1] as Vector, ctx);
    });
  }
  // The parameter is checked over the whole range first, as upstream does (errors, one warning per range).
  const param = ev.eval(e.param)[0];
  const values: number[] = [];
  for (let i = 0, t = ev.startMs; t <= ev.endMs; i++, t += ev.intervalMs) {
    values.push(param !== undefined && param.ts[i] === t ? (param.fs[i] as number) : Number.NaN);
  }
  if (param !== undefined) ev.ctx.release(param.ts.length);
  if (!checkAggregateParam(e, values, ctx)) return [];
  let step = 0;
  return ev.rangeEval([e.expr], (args, t) => {
    ctx.ts = t;
    return aggregate(e, values[step++] as number, args[0] as Vector, ctx);
  });
}
