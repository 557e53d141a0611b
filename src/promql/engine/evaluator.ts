/**
 * The evaluator: computes an expression at every step of `[startMs, endMs]` (one step for an instant query).
 * Vector- and scalar-typed nodes evaluate to a Matrix whose points sit at step times; matrix-typed nodes (range
 * selectors, subqueries) to a Matrix of raw points. Mirrors upstream's `evaluator` in engine.go: per-step work
 * goes through `rangeEval`, which gathers each argument's vector at a step and calls the node's operation.
 */
import { Labels } from '../../model/index.ts';
import { type Expr, exprType, type StringLiteral } from '../parser/index.ts';
import { QueryExecutionError } from './errors.ts';
import { evalAggregate } from './eval-aggregate.ts';
import { evalBinary } from './eval-binary.ts';
import { evalCall } from './eval-call.ts';
import type { QueryContext } from './eval-context.ts';
import { evalMatrixSelector, evalSubquery, evalVectorSelector } from './eval-selectors.ts';
import type { EvalContext, InstantArg } from './function-types.ts';
import { dropMetricName } from './labels.ts';
import type { Matrix, Sample, Series, Vector } from './value.ts';

/** The operation of a node at one step: its arguments' values at `t`, its output vector. */
export type StepFunction = (args: readonly InstantArg[], t: number) => Vector;

export class Evaluator {
  constructor(
    readonly ctx: QueryContext,
    /** First and last step, Unix ms, inclusive. */
    readonly startMs: number,
    readonly endMs: number,
    /** Distance between steps, ms (1 for an instant query). */
    readonly intervalMs: number,
  ) {}

  get stepCount(): number {
    return Math.floor((this.endMs - this.startMs) / this.intervalMs) + 1;
  }

  /** An evaluator over other steps sharing this query's state (subqueries, step-invariant parts). */
  child(startMs: number, endMs: number, intervalMs: number): Evaluator {
    return new Evaluator(this.ctx, startMs, endMs, intervalMs);
  }

  /** A fresh context for one function call or aggregation node, its `ts` set per step by the caller. */
  functionContext(): EvalContext {
    const s = this.ctx.settings;
    return {
      ts: this.startMs,
      queryStartMs: s.queryStartMs,
      queryEndMs: s.queryEndMs,
      annotations: this.ctx.annotations,
      delayedNameRemoval: s.delayedNameRemoval,
      cache: new Map(),
    };
  }

  get delayedNameRemoval(): boolean {
    return this.ctx.settings.delayedNameRemoval;
  }

  /** Evaluates a vector-, scalar- or matrix-typed expression. */
  eval(e: Expr): Matrix {
    this.ctx.check();
    switch (e.type) {
      case 'NumberLiteral':
        return this.constant(e.val);
      case 'ParenExpr':
        return this.eval(e.expr);
      case 'UnaryExpr':
        return this.evalUnary(e.op, e.expr);
      case 'VectorSelector':
        return evalVectorSelector(this, e, 'value');
      case 'MatrixSelector':
        return evalMatrixSelector(this, e);
      case 'SubqueryExpr':
        return evalSubquery(this, e);
      case 'StepInvariantExpr':
        return this.evalStepInvariant(e.expr);
      case 'AggregateExpr':
        return evalAggregate(this, e);
      case 'BinaryExpr':
        return evalBinary(this, e);
      case 'Call':
        return evalCall(this, e);
      case 'StringLiteral':
      case 'DurationExpr':
        throw new QueryExecutionError(`unexpected ${e.type} where a vector or scalar was expected`);
    }
  }

  /** The text of a string-typed expression. */
  evalString(e: Expr): string {
    let n = e;
    while (n.type === 'ParenExpr' || n.type === 'StepInvariantExpr') n = n.expr;
    if (n.type !== 'StringLiteral') throw new QueryExecutionError(`unexpected ${n.type} where a string was expected`);
    return (n as StringLiteral).val;
  }

  /** A scalar-shaped matrix: one series without labels, `f(t)` at every step. */
  scalarSeries(f: (t: number) => number): Matrix {
    const ts: number[] = [];
    const fs: number[] = [];
    for (let t = this.startMs; t <= this.endMs; t += this.intervalMs) {
      ts.push(t);
      fs.push(f(t));
    }
    this.ctx.hold(ts.length);
    return [{ metric: Labels.empty, ts, fs, dropName: false }];
  }

  constant(v: number): Matrix {
    return this.scalarSeries(() => v);
  }

  private evalUnary(op: '+' | '-', inner: Expr): Matrix {
    const m = this.eval(inner);
    if (op === '+') return m;
    const scalar = exprType(inner) === 'scalar';
    for (const s of m) {
      for (let i = 0; i < s.fs.length; i++) s.fs[i] = -(s.fs[i] as number);
      if (!scalar) {
        if (this.delayedNameRemoval) s.dropName = true;
        else s.metric = dropMetricName(s.metric);
      }
    }
    return !scalar && !this.delayedNameRemoval ? mergeSameLabels(m) : m;
  }

  /** Evaluates once at the first step and repeats the value at every step (upstream's StepInvariantExpr). */
  private evalStepInvariant(inner: Expr): Matrix {
    let n = inner;
    while (n.type === 'ParenExpr') n = n.expr;
    if (n.type === 'NumberLiteral') return this.constant(n.val);
    const once = this.child(this.startMs, this.startMs, 1);
    const res = once.eval(inner);
    if (n.type === 'MatrixSelector' || n.type === 'SubqueryExpr' || this.startMs === this.endMs) return res;
    let extra = 0;
    for (const s of res) {
      if (s.fs.length === 0) continue;
      const f = s.fs[0] as number;
      const ts: number[] = [];
      const fs: number[] = [];
      for (let t = this.startMs; t <= this.endMs; t += this.intervalMs) {
        ts.push(t);
        fs.push(f);
      }
      extra += ts.length - 1;
      s.ts = ts;
      s.fs = fs;
    }
    this.ctx.hold(extra);
    return res;
  }

  /**
   * Evaluates `exprs` and calls `fn` at every step with their values there: a vector (samples whose series has a
   * point at that step) for vector-typed expressions, a number for scalar ones, the text for strings. Returns the
   * outputs gathered into series. Sample objects handed to `fn` are reused across steps: `fn` may return them but
   * must not keep them.
   */
  rangeEval(exprs: readonly Expr[], fn: StepFunction): Matrix {
    const kinds = exprs.map((e) => exprType(e));
    const mats: (Matrix | null)[] = exprs.map((e, i) => (kinds[i] === 'string' ? null : this.eval(e)));
    const strings = exprs.map((e, i) => (kinds[i] === 'string' ? this.evalString(e) : ''));
    return this.stepwise(kinds, mats, strings, fn);
  }

  /** `rangeEval` over arguments already evaluated: `mats[i]` for vectors and scalars, `strings[i]` for strings. */
  stepwise(
    kinds: readonly string[],
    mats: readonly (Matrix | null)[],
    strings: readonly string[],
    fn: StepFunction,
  ): Matrix {
    const n = kinds.length;
    const positions = mats.map((m) => (m === null ? [] : new Array<number>(m.length).fill(0)));
    const reuse: Sample[][] = mats.map((m) =>
      m === null ? [] : m.map((s) => ({ metric: s.metric, t: 0, f: 0, dropName: s.dropName })),
    );
    const vectors: Vector[] = mats.map(() => []);
    const args: InstantArg[] = mats.map(() => 0);
    const out = new OutputSeries();
    const instant = this.startMs === this.endMs;
    let instantResult: Vector = [];
    for (let t = this.startMs; t <= this.endMs; t += this.intervalMs) {
      this.ctx.check();
      for (let j = 0; j < n; j++) {
        const m = mats[j] as Matrix | null;
        if (m === null) {
          args[j] = strings[j] as string;
          continue;
        }
        const pos = positions[j] as number[];
        if (kinds[j] === 'scalar') {
          const s = m[0];
          let v = Number.NaN;
          if (s !== undefined) {
            let p = pos[0] as number;
            while (p < s.ts.length && (s.ts[p] as number) < t) p++;
            if (p < s.ts.length && s.ts[p] === t) v = s.fs[p] as number;
            pos[0] = p;
          }
          args[j] = v;
          continue;
        }
        const vec = vectors[j] as Vector;
        vec.length = 0;
        const samples = reuse[j] as Sample[];
        for (let k = 0; k < m.length; k++) {
          const s = m[k] as Series;
          let p = pos[k] as number;
          while (p < s.ts.length && (s.ts[p] as number) < t) p++;
          pos[k] = p;
          if (p < s.ts.length && s.ts[p] === t) {
            const sample = samples[k] as Sample;
            sample.t = t;
            sample.f = s.fs[p] as number;
            vec.push(sample);
          }
        }
        args[j] = vec;
      }
      const result = fn(args, t);
      if (instant) {
        instantResult = result;
        break;
      }
      out.add(result, t);
      this.ctx.hold(result.length);
    }
    for (const m of mats) if (m !== null) this.ctx.release(countPoints(m));
    if (instant) {
      const mat: Matrix = instantResult.map((s) => ({
        metric: s.metric,
        ts: [this.startMs],
        fs: [s.f],
        dropName: s.dropName,
      }));
      this.ctx.hold(mat.length);
      return this.delayedNameRemoval ? mat : mergeSameLabels(mat);
    }
    return out.series;
  }
}

/** Gathers per-step output vectors into series, refusing two samples with the same labels at one step. */
class OutputSeries {
  readonly series: Matrix = [];
  private readonly byLabels = new Map<Labels, Series>();
  private readonly byKey = new Map<string, Series>();

  add(v: Vector, t: number): void {
    for (const s of v) {
      let ser = this.byLabels.get(s.metric);
      if (ser === undefined) {
        const key = s.metric.key();
        ser = this.byKey.get(key);
        if (ser === undefined) {
          ser = { metric: s.metric, ts: [], fs: [], dropName: s.dropName };
          this.byKey.set(key, ser);
          this.series.push(ser);
        }
        this.byLabels.set(s.metric, ser);
      }
      const n = ser.ts.length;
      if (n > 0 && ser.ts[n - 1] === t)
        throw new QueryExecutionError('vector cannot contain metrics with the same labelset');
      ser.ts.push(t);
      ser.fs.push(s.f);
    }
  }
}

export function countPoints(m: Matrix): number {
  let n = 0;
  for (const s of m) n += s.ts.length;
  return n;
}

/**
 * Merges series of `m` that have the same labels (after a name was dropped) when their points do not collide;
 * throws upstream's error when two of them have a point at the same time. Returns `m` itself when all differ.
 */
export function mergeSameLabels(m: Matrix): Matrix {
  if (m.length < 2) return m;
  const byKey = new Map<string, Series>();
  let merged = false;
  for (const s of m) {
    const k = s.metric.key();
    const prev = byKey.get(k);
    if (prev === undefined) {
      byKey.set(k, s);
      continue;
    }
    merged = true;
    const points = new Map<number, number>();
    for (let i = 0; i < prev.ts.length; i++) points.set(prev.ts[i] as number, prev.fs[i] as number);
    s.ts.forEach((t, i) => {
      if (points.has(t)) throw new QueryExecutionError('vector cannot contain metrics with the same labelset');
      points.set(t, s.fs[i] as number);
    });
    const ts = [...points.keys()].sort((a, b) => a - b);
    prev.ts = ts;
    prev.fs = ts.map((t) => points.get(t) as number);
  }
  return merged ? [...byKey.values()] : m;
}
