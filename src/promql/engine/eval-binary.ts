/**
 * Binary operators: between scalars, between a vector and a scalar, and between two vectors with one-to-one,
 * many-to-one and one-to-many matching (`on`, `ignoring`, `group_left`, `group_right`, `fill…`), and the set
 * operators `and`, `or`, `unless`.
 */
import { compareLabels, Labels, LabelsBuilder, metricNameLabel } from '../../model/index.ts';
import { type BinaryExpr, exprType, type VectorMatching } from '../parser/index.ts';
import { elemBinop, isComparison, scalarBinop } from './binop.ts';
import { QueryExecutionError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import { dropMetricName } from './labels.ts';
import type { Matrix, Sample, Vector } from './value.ts';

const isArithmetic = (op: string): boolean =>
  op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || op === 'atan2';

export function evalBinary(ev: Evaluator, e: BinaryExpr): Matrix {
  const lt = exprType(e.lhs);
  const rt = exprType(e.rhs);
  if (lt === 'scalar' && rt === 'scalar') {
    return ev.rangeEval([e.lhs, e.rhs], (args, t) => [
      { metric: Labels.empty, t, f: scalarBinop(e.op, args[0] as number, args[1] as number), dropName: false },
    ]);
  }
  if (lt === 'vector' && rt === 'vector') {
    const matching = e.vectorMatching as VectorMatching;
    const sig = signatureFunction(matching);
    switch (e.op) {
      case 'and':
        return ev.rangeEval([e.lhs, e.rhs], (args) => vectorAnd(args[0] as Vector, args[1] as Vector, sig));
      case 'or':
        return ev.rangeEval([e.lhs, e.rhs], (args) => vectorOr(args[0] as Vector, args[1] as Vector, sig));
      case 'unless':
        return ev.rangeEval([e.lhs, e.rhs], (args) => vectorUnless(args[0] as Vector, args[1] as Vector, sig));
      default: {
        const bin = new VectorBinop(e, matching, sig, ev.delayedNameRemoval);
        return ev.rangeEval([e.lhs, e.rhs], (args, t) => bin.eval(args[0] as Vector, args[1] as Vector, t));
      }
    }
  }
  const swap = lt === 'scalar';
  const delayed = ev.delayedNameRemoval;
  const dropName = isArithmetic(e.op) || e.returnBool;
  const comparison = isComparison(e.op);
  return ev.rangeEval([e.lhs, e.rhs], (args) => {
    const vec = (swap ? args[1] : args[0]) as Vector;
    const scalar = (swap ? args[0] : args[1]) as number;
    const out: Vector = [];
    for (const s of vec) {
      const l = swap ? scalar : s.f;
      const r = swap ? s.f : scalar;
      let [f, keep] = elemBinop(e.op, l, r);
      if (comparison && swap) f = r;
      if (e.returnBool) {
        f = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      let metric = s.metric;
      let drop = s.dropName;
      if (dropName) {
        if (delayed) drop = true;
        else metric = dropMetricName(metric);
      }
      out.push({ metric, t: s.t, f, dropName: drop });
    }
    return out;
  });
}

/** The matching key of a series: its `on(…)` labels, or every label but `ignoring(…)` ones and `__name__`. */
export type Signature = (l: Labels) => string;

export function signatureFunction(m: VectorMatching): Signature {
  const cache = new WeakMap<Labels, string>();
  const names = new Set(m.matchingLabels);
  const compute = m.on
    ? (l: Labels) => {
        const parts: string[] = [];
        for (const n of m.matchingLabels.slice().sort()) parts.push(n, l.get(n));
        return parts.join('\xff');
      }
    : (l: Labels) => {
        const parts: string[] = [];
        l.forEach((n, v) => {
          if (n !== metricNameLabel && !names.has(n)) parts.push(n, v);
        });
        return parts.join('\xff');
      };
  return (l) => {
    let s = cache.get(l);
    if (s === undefined) {
      s = compute(l);
      cache.set(l, s);
    }
    return s;
  };
}

function vectorAnd(lhs: Vector, rhs: Vector, sig: Signature): Vector {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const right = new Set<string>();
  for (const s of rhs) right.add(sig(s.metric));
  return lhs.filter((s) => right.has(sig(s.metric)));
}

function vectorOr(lhs: Vector, rhs: Vector, sig: Signature): Vector {
  if (lhs.length === 0) return rhs.slice();
  if (rhs.length === 0) return lhs.slice();
  const left = new Set<string>();
  const out = lhs.slice();
  for (const s of lhs) left.add(sig(s.metric));
  for (const s of rhs) if (!left.has(sig(s.metric))) out.push(s);
  return out;
}

function vectorUnless(lhs: Vector, rhs: Vector, sig: Signature): Vector {
  if (lhs.length === 0 || rhs.length === 0) return lhs.slice();
  const right = new Set<string>();
  for (const s of rhs) right.add(sig(s.metric));
  return lhs.filter((s) => !right.has(sig(s.metric)));
}

/** Arithmetic and comparison between two vectors (upstream's `VectorBinop`), with the result labels cached. */
class VectorBinop {
  private readonly resultCache = new Map<string, Labels>();
  private readonly dropName: boolean;

  constructor(
    private readonly e: BinaryExpr,
    private readonly m: VectorMatching,
    private readonly sig: Signature,
    private readonly delayed: boolean,
  ) {
    this.dropName = isArithmetic(e.op) || e.returnBool;
  }

  eval(lhsIn: Vector, rhsIn: Vector, t: number): Vector {
    const { m, sig } = this;
    const fillL = m.fillValues.lhs;
    const fillR = m.fillValues.rhs;
    if ((lhsIn.length === 0 && fillL === null) || (rhsIn.length === 0 && fillR === null)) return [];
    const swapped = m.card === 'one-to-many';
    const lhs = swapped ? rhsIn : lhsIn;
    const rhs = swapped ? lhsIn : rhsIn;
    // After the swap the right side is the "one" side: a signature may appear there once.
    const right = new Map<string, Sample>();
    for (const rs of rhs) {
      const s = sig(rs.metric);
      const dup = right.get(s);
      if (dup !== undefined) {
        const side = swapped ? 'left' : 'right';
        const [a, b] = compareLabels(rs.metric, dup.metric) <= 0 ? [rs, dup] : [dup, rs];
        throw new QueryExecutionError(
          `found duplicate series for the match group ${matchedLabels(rs.metric, m)} on the ${side} hand-side of the operation: [${a.metric.toString()}, ${b.metric.toString()}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      right.set(s, rs);
    }
    const matched = new Map<string, Set<string> | null>();
    const out: Vector = [];
    // As upstream: after the swap for group_right, fill_left still fills the (now) left side, the "many" one.
    const fillMany = fillL;
    const fillOne = fillR;
    const usedRight = fillMany !== null ? new Set<string>() : null;
    for (const ls of lhs) {
      const s = sig(ls.metric);
      const rs = right.get(s);
      let rf: number;
      let oneMetric: Labels | null;
      if (rs === undefined) {
        if (fillOne === null) continue;
        rf = fillOne;
        oneMetric = null;
      } else {
        rf = rs.f;
        oneMetric = rs.metric;
        usedRight?.add(s);
      }
      this.emit(out, matched, s, ls.metric, oneMetric, ls.f, rf, ls.dropName, t, swapped);
    }
    if (usedRight !== null && fillMany !== null) {
      for (const rs of rhs) {
        const s = sig(rs.metric);
        if (usedRight.has(s)) continue;
        this.emit(out, matched, s, rs.metric, rs.metric, fillMany, rs.f, rs.dropName, t, swapped, true);
      }
    }
    return out;
  }

  private emit(
    out: Vector,
    matched: Map<string, Set<string> | null>,
    s: string,
    manyMetric: Labels,
    oneMetric: Labels | null,
    manyF: number,
    oneF: number,
    manyDropName: boolean,
    t: number,
    swapped: boolean,
    filledMany = false,
  ): void {
    const { e, m } = this;
    const fl = swapped ? oneF : manyF;
    const fr = swapped ? manyF : oneF;
    let [f, keep] = elemBinop(e.op, fl, fr);
    let metric = this.resultMetric(manyMetric, oneMetric, filledMany);
    if (!this.delayed && e.returnBool) metric = dropMetricName(metric);
    // Matching errors are found before comparisons filter samples out, as upstream does.
    const exists = matched.get(s);
    if (m.card === 'one-to-one') {
      if (exists !== undefined) {
        throw new QueryExecutionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matched.set(s, null);
    } else {
      const key = metric.key();
      let set = exists ?? undefined;
      if (set === undefined) {
        set = new Set<string>();
        matched.set(s, set);
      } else if (set.has(key)) {
        throw new QueryExecutionError('multiple matches for labels: grouping labels must ensure unique results');
      }
      set.add(key);
    }
    if (e.returnBool) {
      f = keep ? 1 : 0;
    } else if (!keep) return;
    out.push({ metric, t, f, dropName: this.delayed && (this.dropName || manyDropName) });
  }

  /** Upstream's `resultMetric`: the many side's labels, trimmed by `on`/`ignoring`, plus `group_x` labels. */
  private resultMetric(many: Labels, one: Labels | null, filledMany: boolean): Labels {
    const key = `${many.key()}\x00${one === null ? '\x01' : one.key()}${filledMany ? '\x02' : ''}`;
    const cached = this.resultCache.get(key);
    if (cached !== undefined) return cached;
    const { m } = this;
    const b = new LabelsBuilder(filledMany ? dropMetricName(many) : many);
    if (this.dropName && !this.delayed) b.del(metricNameLabel);
    if (m.card === 'one-to-one' || filledMany) {
      if (m.on) {
        const keep = new Set(m.matchingLabels);
        many.forEach((n) => {
          if (!keep.has(n)) b.del(n);
        });
      } else {
        for (const n of m.matchingLabels) b.del(n);
      }
    }
    if (m.include.length > 0 && one !== null) {
      for (const n of m.include) {
        const v = one.get(n);
        if (v !== '') b.set(n, v);
        else b.del(n);
      }
    }
    const labels = b.labels();
    this.resultCache.set(key, labels);
    return labels;
  }
}

function matchedLabels(l: Labels, m: VectorMatching): string {
  return (m.on ? l.keepOnly(...m.matchingLabels) : l.without(...m.matchingLabels, metricNameLabel)).toString();
}
