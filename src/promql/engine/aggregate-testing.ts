/** Helpers for the aggregation tests. Not part of the build. */
import { compareLabels, Labels } from '../../model/index.ts';
import { type AggregateExpr, allFeatures, children, type Expr, parseExpr } from '../parser/index.ts';
import { aggregate } from './aggregate.ts';
import { Annotations } from './annotations.ts';
import type { EvalContext } from './function-types.ts';
import type { Vector } from './value.ts';

/** A vector from `[labels, value, dropName?]` rows, sorted by labels as a selector would return it. */
export function vec(rows: ReadonlyArray<readonly [Record<string, string>, number, boolean?]>): Vector {
  return rows
    .map(([l, f, dropName]) => ({ metric: Labels.fromObject(l), t: 0, f, dropName: dropName ?? false }))
    .sort((a, b) => compareLabels(a.metric, b.metric));
}

/** An EvalContext for `query` at `ts`, collecting annotations. */
export function context(query: string, ts = 0): EvalContext {
  return {
    ts,
    queryStartMs: ts,
    queryEndMs: ts,
    annotations: new Annotations(query),
    delayedNameRemoval: true,
    cache: new Map(),
  };
}

/** The first AggregateExpr in `query` (depth first), optionally of operator `op`. */
export function findAggregate(query: string, op?: string): AggregateExpr {
  const walk = (e: Expr): AggregateExpr | null => {
    if (e.type === 'AggregateExpr' && (op === undefined || e.op === op)) return e;
    for (const c of children(e)) {
      const found = walk(c);
      if (found !== null) return found;
    }
    return null;
  };
  const found = walk(parseExpr(query, allFeatures));
  if (found === null) throw new Error(`no aggregation in ${query}`);
  return found;
}

export interface Run {
  out: Vector;
  /** The output as `labels value` lines, in output order. */
  lines: string[];
  warnings: string[];
}

/** Runs the (first) aggregation of `query` once over `input` with parameter `param`. */
export function run(query: string, input: Vector, param: number | string | null = null, op?: string): Run {
  const ctx = context(query);
  const out = aggregate(findAggregate(query, op), param, input, ctx);
  return { out, lines: out.map(line), warnings: [...ctx.annotations.warnings] };
}

/** `{a="b"} 1.5`, with ` drop` when the sample is to lose its name. */
export function line(s: Vector[number]): string {
  return `${s.metric.toString()} ${s.f}${s.dropName ? ' drop' : ''}`;
}

/** http_requests at 50m in aggregators.test: job × group × instance, 100 … 800. */
export const httpRequests = vec([
  [{ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'production' }, 100],
  [{ __name__: 'http_requests', job: 'api-server', instance: '1', group: 'production' }, 200],
  [{ __name__: 'http_requests', job: 'api-server', instance: '0', group: 'canary' }, 300],
  [{ __name__: 'http_requests', job: 'api-server', instance: '1', group: 'canary' }, 400],
  [{ __name__: 'http_requests', job: 'app-server', instance: '0', group: 'production' }, 500],
  [{ __name__: 'http_requests', job: 'app-server', instance: '1', group: 'production' }, 600],
  [{ __name__: 'http_requests', job: 'app-server', instance: '0', group: 'canary' }, 700],
  [{ __name__: 'http_requests', job: 'app-server', instance: '1', group: 'canary' }, 800],
]);
