/**
 * Binary operators: between scalars, between a vector and a scalar, and between two vectors with one-to-one,
 * many-to-one and one-to-many matching (`on`, `ignoring`, `group_left`, `group_right`, `fill…`), and the set
 * operators `and`, `or`, `unless`.
 */
import { compareLabels, Labels, LabelsBuilder, metricNameLabel } from '../../model/index.ts';
import { type BinaryExpr, exprType, type VectorMatching } from '../parser/index.ts';
import { elemValue, isComparison, keeps, scalarBinop } from './binop.ts';
import { QueryExecutionError } from './errors.ts';
import { countPoints, type Evaluator, mergeSameLabels } from './evaluator.ts';
import { dropMetricName } from './labels.ts';
import type { Matrix, Sample, Series, Vector } from './value.ts';

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
        const lhs = ev.eval(e.lhs);
        const rhs = ev.eval(e.rhs);
        const fast = bin.seriesWise(lhs, rhs);
        if (fast !== null) {
          ev.ctx.release(countPoints(lhs) + countPoints(rhs));
          ev.ctx.hold(countPoints(fast));
          return ev.delayedNameRemoval ? fast : mergeSameLabels(fast);
        }
        return ev.stepwise(['vector', 'vector'], [lhs, rhs], ['', ''], (args, t) =>
          bin.eval(args[0] as Vector, args[1] as Vector, t),
        );
      }
    }
  }
  return vectorScalar(ev, e, lt === 'scalar');
}

/**
 * A vector and a scalar, series by series rather than step by step (no per-step samples): each point of each
 * series meets the scalar's value at that step.
 */
function vectorScalar(ev: Evaluator, e: BinaryExpr, swap: boolean): Matrix {
  const vec = ev.eval(swap ? e.rhs : e.lhs);
  const scalarSeries = ev.eval(swap ? e.lhs : e.rhs)[0];
  const delayed = ev.delayedNameRemoval;
  const dropName = isArithmetic(e.op) || e.returnBool;
  const comparison = isComparison(e.op);
  const { op, returnBool } = e;
  const sts = scalarSeries?.ts ?? [];
  const sfs = scalarSeries?.fs ?? [];
  const out: Matrix = [];
  let held = 0;
  for (const s of vec) {
    const ts: number[] = [];
    const fs: number[] = [];
    let p = 0;
    for (let i = 0; i < s.ts.length; i++) {
      const t = s.ts[i] as number;
      while (p < sts.length && (sts[p] as number) < t) p++;
      const scalar = p < sts.length && sts[p] === t ? (sfs[p] as number) : Number.NaN;
      const v = s.fs[i] as number;
      const l = swap ? scalar : v;
      const r = swap ? v : scalar;
      const keep = keeps(op, l, r);
      if (returnBool) {
        ts.push(t);
        fs.push(keep ? 1 : 0);
      } else if (keep) {
        ts.push(t);
        fs.push(comparison ? v : scalarBinop(op, l, r));
      }
    }
    held += s.ts.length;
    if (ts.length === 0) continue;
    let metric = s.metric;
    let drop = s.dropName;
    if (dropName) {
      if (delayed) drop = true;
      else metric = dropMetricName(metric);
    }
    out.push({ metric, ts, fs, dropName: drop });
  }
  if (scalarSeries !== undefined) held += scalarSeries.ts.length;
  ev.ctx.release(held);
  ev.ctx.hold(countPoints(out));
  return dropName && !delayed ? mergeSameLabels(out) : out;
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
  /** Result labels by many-side labels, then by one-side labels (null when filled). */
  private readonly resultCache = new Map<Labels, Map<Labels | null, Labels>>();
  private readonly filledCache = new Map<Labels, Labels>();
  private readonly dropName: boolean;

  constructor(
    private readonly e: BinaryExpr,
    private readonly m: VectorMatching,
    private readonly sig: Signature,
    private readonly delayed: boolean,
  ) {
    this.dropName = isArithmetic(e.op) || e.returnBool;
  }

  /**
   * The whole operation series by series, when no step can hit a matching error: each signature has at most one
   * series on the "one" side, each (signature, result labels) at most one on the "many" side, and no fill. Then
   * each many-side series meets its one-side series on their common timestamps. Null when that does not hold
   * (the step-by-step `eval` then finds the errors exactly where upstream does).
   */
  seriesWise(lhsIn: Matrix, rhsIn: Matrix): Matrix | null {
    const { m, sig, e } = this;
    if (m.fillValues.lhs !== null || m.fillValues.rhs !== null) return null;
    const swapped = m.card === 'one-to-many';
    const many = swapped ? rhsIn : lhsIn;
    const one = swapped ? lhsIn : rhsIn;
    const oneBySig = new Map<string, Series>();
    for (const s of one) {
      const k = sig(s.metric);
      if (oneBySig.has(k)) return null;
      oneBySig.set(k, s);
    }
    const seen = new Set<string>();
    const out: Matrix = [];
    for (const ms of many) {
      const k = sig(ms.metric);
      const os = oneBySig.get(k);
      if (os === undefined) continue;
      const metric0 = this.resultMetric(ms.metric, os.metric, false);
      const metric = !this.delayed && e.returnBool ? dropMetricName(metric0) : metric0;
      const dupKey = m.card === 'one-to-one' ? k : `${k}\xff${metric.key()}`;
      if (seen.has(dupKey)) return null;
      seen.add(dupKey);
      const ts: number[] = [];
      const fs: number[] = [];
      let p = 0;
      for (let i = 0; i < ms.ts.length; i++) {
        const t = ms.ts[i] as number;
        while (p < os.ts.length && (os.ts[p] as number) < t) p++;
        if (p >= os.ts.length) break;
        if (os.ts[p] !== t) continue;
        const manyF = ms.fs[i] as number;
        const oneF = os.fs[p] as number;
        const fl = swapped ? oneF : manyF;
        const fr = swapped ? manyF : oneF;
        const keep = keeps(e.op, fl, fr);
        if (e.returnBool) {
          ts.push(t);
          fs.push(keep ? 1 : 0);
        } else if (keep) {
          ts.push(t);
          fs.push(elemValue(e.op, fl, fr));
        }
      }
      if (ts.length > 0) out.push({ metric, ts, fs, dropName: this.delayed && (this.dropName || ms.dropName) });
    }
    return out;
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
    const matched = new Map<string, string>();
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
    matched: Map<string, string>,
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
    const keep = keeps(e.op, fl, fr);
    let f = elemValue(e.op, fl, fr);
    let metric = this.resultMetric(manyMetric, oneMetric, filledMany);
    if (!this.delayed && e.returnBool) metric = dropMetricName(metric);
    // Matching errors are found before comparisons filter samples out, as upstream does.
    // One-to-one: each signature once. Many-to-one: each result metric once per signature (keyed by metric,
    // holding its signature: the same metric under another signature is the rangeEval's labelset error).
    if (m.card === 'one-to-one') {
      if (matched.has(s)) {
        throw new QueryExecutionError(
          'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
        );
      }
      matched.set(s, '');
    } else {
      const key = metric.key();
      if (matched.get(key) === s) {
        throw new QueryExecutionError('multiple matches for labels: grouping labels must ensure unique results');
      }
      matched.set(key, s);
    }
    if (e.returnBool) {
      f = keep ? 1 : 0;
    } else if (!keep) return;
    out.push({ metric, t, f, dropName: this.delayed && (this.dropName || manyDropName) });
  }

  /** Upstream's `resultMetric`: the many side's labels, trimmed by `on`/`ignoring`, plus `group_x` labels. */
  private resultMetric(many: Labels, one: Labels | null, filledMany: boolean): Labels {
    let byOne: Map<Labels | null, Labels> | undefined;
    if (filledMany) {
      const hit = this.filledCache.get(many);
      if (hit !== undefined) return hit;
    } else {
      byOne = this.resultCache.get(many);
      if (byOne === undefined) {
        byOne = new Map();
        this.resultCache.set(many, byOne);
      }
      const hit = byOne.get(one);
      if (hit !== undefined) return hit;
    }
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
    if (byOne !== undefined) byOne.set(one, labels);
    else this.filledCache.set(many, labels);
    return labels;
  }
}

function matchedLabels(l: Labels, m: VectorMatching): string {
  return (m.on ? l.keepOnly(...m.matchingLabels) : l.without(...m.matchingLabels, metricNameLabel)).toString();
}
