/** Aggregation operators at every step, through `rangeEval` and the per-step `aggregate`. */
import { type AggregateExpr, exprType } from '../parser/index.ts';
import { aggregate, checkAggregateParam } from './aggregate.ts';
import type { Evaluator } from './evaluator.ts';
import type { Matrix, Vector } from './value.ts';

export function evalAggregate(ev: Evaluator, e: AggregateExpr): Matrix {
  const ctx = ev.functionContext();
  if (e.param === null) {
    return ev.rangeEval([e.expr], (args, t) => {
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
