/**
 * `sum`, `avg`, `count`, `min`, `max`, `group`, `stddev`, `stdvar` and `quantile` at one step (upstream's
 * `aggregation`): one output sample per group, labelled with the grouping labels.
 */
import type { Labels } from '../../model/index.ts';
import type { AggregateOp } from '../parser/index.ts';
import { Grouper } from './aggregate-grouping.ts';
import { quantile } from './aggregate-quantile.ts';
import { KahanSum } from './kahan.ts';
import type { Vector } from './value.ts';

/** A group's running state; reset by the group's first sample at each step. */
class FloatGroup {
  stamp = -1;
  /** min/max/group/stdvar's accumulator (stdvar: the sum of squared deviations). */
  value = 0;
  /** stddev/stdvar's running mean. */
  mean = 0;
  count = 0;
  /** sum's and avg's compensated sum; once avg switched to the incremental mean, that mean. */
  readonly kahan = new KahanSum();
  /** avg: the direct sum would overflow, so the mean is kept incrementally. */
  incrementalMean = false;
  /** Some sample of the group is to lose `__name__` (the output keeps it until the engine drops it). */
  dropName = false;
  /** quantile's values. */
  readonly values: number[] = [];
  constructor(readonly labels: Labels) {}
}

const isInf = (f: number): boolean => f === Number.POSITIVE_INFINITY || f === Number.NEGATIVE_INFINITY;

/** Evaluates one float aggregation step by step; keeps its groups across steps. One per AggregateExpr. */
export class FloatAggregator {
  private readonly grouper: Grouper<FloatGroup>;
  private stamp = 0;

  constructor(
    private readonly op: AggregateOp,
    grouping: readonly string[],
    without: boolean,
  ) {
    this.grouper = new Grouper(grouping, without, (labels) => new FloatGroup(labels));
  }

  /**
   * Aggregates `input` (one sample per series) into a new vector stamped `ts`, groups in order of their first
   * sample in `input`. `q` is quantile's φ at this step (ignored by the other operators).
   */
  step(input: Vector, q: number, ts: number): Vector {
    const stamp = ++this.stamp;
    const seen: FloatGroup[] = [];
    for (const s of input) {
      const g = this.grouper.groupOf(s.metric);
      if (g.stamp !== stamp) {
        g.stamp = stamp;
        this.start(g, s.f);
        g.dropName = s.dropName;
        seen.push(g);
      } else {
        if (s.dropName) g.dropName = true;
        this.add(g, s.f);
      }
    }
    const out: Vector = new Array(seen.length);
    for (let i = 0; i < seen.length; i++) {
      const g = seen[i] as FloatGroup;
      out[i] = { metric: g.labels, t: ts, f: this.result(g, q), dropName: g.dropName };
    }
    return out;
  }

  private start(g: FloatGroup, f: number): void {
    g.value = f;
    g.mean = f;
    g.count = 1;
    g.kahan.reset(f, 0);
    g.incrementalMean = false;
    switch (this.op) {
      case 'stddev':
      case 'stdvar':
        g.value = Number.isNaN(f) || isInf(f) ? Number.NaN : 0;
        break;
      case 'quantile':
        g.values.length = 0;
        g.values.push(f);
        break;
      case 'group':
        g.value = 1;
        break;
    }
  }

  private add(g: FloatGroup, f: number): void {
    switch (this.op) {
      case 'sum':
        g.kahan.add(f);
        break;
      case 'avg':
        this.addToMean(g, f);
        break;
      case 'max':
        if (g.value < f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'min':
        if (g.value > f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'count':
        g.count++;
        break;
      case 'stddev':
      case 'stdvar': {
        g.count++;
        const delta = f - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (f - g.mean);
        break;
      }
      case 'quantile':
        g.values.push(f);
        break;
    }
  }

  /**
   * avg: a compensated direct sum while it stays finite; from the sample that would overflow it on, an
   * incremental mean (still compensated), as upstream does.
   */
  private addToMean(g: FloatGroup, f: number): void {
    g.count++;
    const k = g.kahan;
    if (!g.incrementalMean) {
      const sum = k.sum;
      const c = k.c;
      k.add(f);
      if (!isInf(k.sum)) return;
      g.incrementalMean = true;
      k.reset(sum / (g.count - 1), c / (g.count - 1));
    }
    const q = (g.count - 1) / g.count;
    k.reset(q * k.sum, q * k.c);
    k.add(f / g.count);
  }

  private result(g: FloatGroup, q: number): number {
    switch (this.op) {
      case 'sum':
        return g.kahan.sum + g.kahan.c;
      case 'avg':
        if (g.incrementalMean) return g.kahan.sum + g.kahan.c;
        return g.kahan.sum / g.count + g.kahan.c / g.count;
      case 'count':
        return g.count;
      case 'stdvar':
        return g.value / g.count;
      case 'stddev':
        return Math.sqrt(g.value / g.count);
      case 'quantile':
        return quantile(q, g.values);
      default:
        return g.value;
    }
  }
}
