/**
 * `sum`, `avg`, `count`, `min`, `max`, `group`, `stddev` and `stdvar` over a whole range at once: series by series
 * instead of step by step. Each of them gives, at a step, a value that depends only on that step's samples taken
 * in input order, so each input series' group is found once, the group's series are folded in matrix order into
 * per-step accumulators held in typed arrays, and the group's output series is read off those. Every operation
 * is the one FloatAggregator does at a step, in the same order, so results are bit-identical to the per-step path.
 */
import type { Labels } from '../../model/index.ts';
import type { AggregateExpr, AggregateOp } from '../parser/index.ts';
import { Grouper } from './aggregate-grouping.ts';
import type { Matrix, Series } from './value.ts';

const seriesWiseOps: ReadonlySet<AggregateOp> = new Set<AggregateOp>([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
]);

const isInf = (f: number): boolean => f === Number.POSITIVE_INFINITY || f === Number.NEGATIVE_INFINITY;

/** An output group: its member series (indices into the input, in input order) and where its output starts. */
interface Group {
  readonly labels: Labels;
  readonly members: number[];
  /** Index of the first step with a sample of the group, or the step count while none was seen. */
  firstStep: number;
  /** The first member with a sample at `firstStep` (the per-step path's order of output series). */
  firstSeries: number;
  /** Some member with a sample at `firstStep` is to lose `__name__` (what the per-step path's series keeps). */
  dropName: boolean;
}

/**
 * One group's accumulators at every step, indexed by step; reused from group to group (only the steps a group
 * touched are cleared). A step holds a sample of the group while `count` there is not 0; the other arrays are
 * set by that step's first sample, as FloatAggregator's `start`, and are stale otherwise.
 */
class StepAccumulators {
  readonly count: Float64Array;
  /** sum's and avg's compensated sum (KahanSum's `sum` and `c`); once avg switched to the incremental mean, that mean. */
  readonly sum: Float64Array;
  readonly c: Float64Array;
  /** avg: 1 once the direct sum would have overflowed. */
  readonly incremental: Uint8Array;
  /** min's and max's value; stddev's and stdvar's sum of squared deviations. */
  readonly value: Float64Array;
  /** stddev's and stdvar's running mean. */
  readonly mean: Float64Array;
  /** First and last step touched since the last `takeSeries`; `lo > hi` when none. */
  lo: number;
  hi = -1;

  constructor(
    private readonly op: AggregateOp,
    /** The step times, as the per-step loop makes them (`t += intervalMs` from the start). */
    private readonly times: readonly number[],
  ) {
    const n = times.length;
    const sized = (used: boolean) => new Float64Array(used ? n : 0);
    this.count = new Float64Array(n);
    this.sum = sized(op === 'sum' || op === 'avg');
    this.c = sized(op === 'sum' || op === 'avg');
    this.incremental = new Uint8Array(op === 'avg' ? n : 0);
    this.value = sized(op === 'min' || op === 'max' || op === 'stddev' || op === 'stdvar');
    this.mean = sized(op === 'stddev' || op === 'stdvar');
    this.lo = n;
  }

  /**
   * Folds the points of `s` that sit at step times into their steps. A point counts where the per-step loop
   * would pick it up: the first point at a step time, others at that time or between steps skipped. Returns the
   * index of the first step that got a point, -1 when none did.
   */
  addSeries(s: Series): number {
    const { ts, fs } = s;
    const times = this.times;
    const n = times.length;
    let k = 0;
    let first = -1;
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i] as number;
      while (k < n && (times[k] as number) < t) k++;
      if (k === n) break;
      if (times[k] !== t) continue;
      if (first < 0) first = k;
      this.add(k, fs[i] as number);
      k++;
    }
    if (first >= 0) {
      if (first < this.lo) this.lo = first;
      if (k - 1 > this.hi) this.hi = k - 1;
    }
    return first;
  }

  /** FloatAggregator's `start` (first sample of the step) or `add` for `f` at step `k`. */
  private add(k: number, f: number): void {
    const n = (this.count[k] as number) + 1;
    this.count[k] = n;
    switch (this.op) {
      case 'sum':
        if (n === 1) {
          this.sum[k] = f;
          this.c[k] = 0;
        } else {
          this.kahanAdd(k, f);
        }
        break;
      case 'avg':
        if (n === 1) {
          this.sum[k] = f;
          this.c[k] = 0;
          this.incremental[k] = 0;
        } else {
          this.addToMean(k, f, n);
        }
        break;
      case 'max': {
        const v = this.value[k] as number;
        if (n === 1 || v < f || Number.isNaN(v)) this.value[k] = f;
        break;
      }
      case 'min': {
        const v = this.value[k] as number;
        if (n === 1 || v > f || Number.isNaN(v)) this.value[k] = f;
        break;
      }
      case 'stddev':
      case 'stdvar':
        if (n === 1) {
          this.value[k] = Number.isNaN(f) || isInf(f) ? Number.NaN : 0;
          this.mean[k] = f;
        } else {
          const mean = this.mean[k] as number;
          const delta = f - mean;
          const next = mean + delta / n;
          this.mean[k] = next;
          this.value[k] = (this.value[k] as number) + delta * (f - next);
        }
        break;
    }
  }

  /** KahanSum.add on step `k`'s pair. */
  private kahanAdd(k: number, inc: number): void {
    const sum = this.sum[k] as number;
    const t = sum + inc;
    if (isInf(t)) this.c[k] = 0;
    else if (Math.abs(sum) >= Math.abs(inc)) this.c[k] = (this.c[k] as number) + (sum - t + inc);
    else this.c[k] = (this.c[k] as number) + (inc - t + sum);
    this.sum[k] = t;
  }

  /** FloatAggregator's `addToMean` on step `k`, `n` being the count with `f`. */
  private addToMean(k: number, f: number, n: number): void {
    if (this.incremental[k] === 0) {
      const sum = this.sum[k] as number;
      const c = this.c[k] as number;
      this.kahanAdd(k, f);
      if (!isInf(this.sum[k] as number)) return;
      this.incremental[k] = 1;
      this.sum[k] = sum / (n - 1);
      this.c[k] = c / (n - 1);
    }
    const q = (n - 1) / n;
    this.sum[k] = q * (this.sum[k] as number);
    this.c[k] = q * (this.c[k] as number);
    this.kahanAdd(k, f / n);
  }

  /** FloatAggregator's `result` at step `k`. */
  private result(k: number): number {
    const n = this.count[k] as number;
    switch (this.op) {
      case 'sum':
        return (this.sum[k] as number) + (this.c[k] as number);
      case 'avg':
        if (this.incremental[k] !== 0) return (this.sum[k] as number) + (this.c[k] as number);
        return (this.sum[k] as number) / n + (this.c[k] as number) / n;
      case 'count':
        return n;
      case 'group':
        return 1;
      case 'stdvar':
        return (this.value[k] as number) / n;
      case 'stddev':
        return Math.sqrt((this.value[k] as number) / n);
      default:
        return this.value[k] as number;
    }
  }

  /** The results at the steps touched since the last call, then clears those steps for the next group. */
  takeSeries(): { ts: number[]; fs: number[] } {
    const ts: number[] = [];
    const fs: number[] = [];
    for (let k = this.lo; k <= this.hi; k++) {
      if (this.count[k] === 0) continue;
      ts.push(this.times[k] as number);
      fs.push(this.result(k));
    }
    if (this.lo <= this.hi) this.count.fill(0, this.lo, this.hi + 1);
    this.lo = this.times.length;
    this.hi = -1;
    return { ts, fs };
  }
}

/**
 * Evaluates the aggregation `e` over `input`, the operand's matrix over the steps `startMs`, `startMs +
 * intervalMs`, … ≤ `endMs`, series by series. Returns null when `e` is not one of `sum`, `avg`, `count`, `min`,
 * `max`, `group`, `stddev`, `stdvar` (the caller then goes step by step).
 *
 * The result equals, bit for bit, what the per-step path (`aggregate` at each step over the samples of `input` at
 * that step, in matrix order, gathered into series) returns: one series per group with a point at each step where
 * the group had a sample, labelled with the grouping labels, `dropName` as the group's samples at its first step;
 * series in order of first appearance (by first step, then by first series at that step). Points of `input` off
 * the step times are ignored, as the per-step path does. New arrays; `input` is not modified.
 */
export function aggregateMatrix(
  e: AggregateExpr,
  input: Matrix,
  startMs: number,
  endMs: number,
  intervalMs: number,
): Matrix | null {
  if (e.param !== null || !seriesWiseOps.has(e.op)) return null;
  const times: number[] = [];
  for (let t = startMs; t <= endMs; t += intervalMs) times.push(t);
  const steps = times.length;
  const grouper = new Grouper<Group>(e.grouping, e.without, (labels) => ({
    labels,
    members: [],
    firstStep: steps,
    firstSeries: -1,
    dropName: false,
  }));
  const groups: Group[] = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i] as Series;
    if (s.ts.length === 0) continue;
    const g = grouper.groupOf(s.metric);
    if (g.members.length === 0) groups.push(g);
    g.members.push(i);
  }
  const acc = new StepAccumulators(e.op, times);
  const found: { group: Group; series: Series }[] = [];
  for (const g of groups) {
    for (const i of g.members) {
      const s = input[i] as Series;
      const first = acc.addSeries(s);
      if (first < 0) continue;
      if (first < g.firstStep) {
        g.firstStep = first;
        g.firstSeries = i;
        g.dropName = s.dropName;
      } else if (first === g.firstStep && s.dropName) {
        g.dropName = true;
      }
    }
    const { ts, fs } = acc.takeSeries();
    if (ts.length > 0) found.push({ group: g, series: { metric: g.labels, ts, fs, dropName: g.dropName } });
  }
  found.sort((a, b) => a.group.firstStep - b.group.firstStep || a.group.firstSeries - b.group.firstSeries);
  return found.map((f) => f.series);
}
