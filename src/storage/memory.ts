/**
 * An in-memory storage: every sample in growable typed arrays, selection by scanning. For tests and for
 * modules (PromQL) that run on a small, fixed data set; the TSDB is the real implementation.
 */
import {
  compareLabels,
  compareStrings,
  floatBits,
  isStaleNaN,
  type Labels,
  type Matcher,
  staleNaN,
} from '../model/index.ts';
import { DuplicateSampleError, InvalidLabelsError, OutOfOrderSampleError } from './errors.ts';
import type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SelectHints,
  Series,
  SeriesRef,
  SeriesSet,
} from './interfaces.ts';
import { ArrayCursor, ListSeriesSet } from './list.ts';

class MemSeries {
  ts = new Float64Array(16);
  vs = new Float64Array(16);
  n = 0;

  constructor(
    readonly ref: SeriesRef,
    readonly labels: Labels,
  ) {}

  get lastT(): number {
    return this.n === 0 ? Number.NEGATIVE_INFINITY : (this.ts[this.n - 1] as number);
  }

  push(t: number, v: number): void {
    if (this.n === this.ts.length) {
      const ts = new Float64Array(this.n * 2);
      const vs = new Float64Array(this.n * 2);
      ts.set(this.ts);
      vs.set(this.vs);
      this.ts = ts;
      this.vs = vs;
    }
    this.ts[this.n] = t;
    this.vs[this.n] = isStaleNaN(v) ? staleNaN : v;
    this.n++;
  }
}

export class MemoryStorage implements Appendable, Queryable {
  private readonly byKey = new Map<string, MemSeries>();
  private readonly byRef: MemSeries[] = [];

  appender(): Appender {
    const pending: Array<{ s: MemSeries; t: number; v: number }> = [];
    const pendingLast = new Map<MemSeries, number>();
    return {
      append: (labels, t, v, ref) => {
        let s = ref ? this.byRef[ref - 1] : undefined;
        if (s === undefined || (ref && !s.labels.equals(labels))) s = this.series(labels);
        const last = pendingLast.get(s) ?? s.lastT;
        if (t < last) throw new OutOfOrderSampleError(t, last);
        if (t === last) {
          const prev = pendingLast.has(s) ? pending.findLast((p) => p.s === s)?.v : s.vs[s.n - 1];
          if (!sameBits(prev ?? 0, v)) throw new DuplicateSampleError(t);
          return s.ref;
        }
        pending.push({ s, t, v });
        pendingLast.set(s, t);
        return s.ref;
      },
      commit: async () => {
        for (const p of pending) p.s.push(p.t, p.v);
        pending.length = 0;
        pendingLast.clear();
      },
      rollback: () => {
        pending.length = 0;
        pendingLast.clear();
      },
    };
  }

  querier(mint: number, maxt: number): Querier {
    const all = () => [...this.byKey.values()];
    const matching = (matchers: readonly Matcher[]) =>
      all().filter((s) => s.n > 0 && matchers.every((m) => m.matches(s.labels.get(m.name))));
    return {
      select(sorted: boolean, _hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
        const found = matching(matchers);
        if (sorted) found.sort((a, b) => compareLabels(a.labels, b.labels));
        const out: Series[] = [];
        for (const s of found) {
          const lo = lowerBound(s.ts, s.n, mint);
          const hi = lowerBound(s.ts, s.n, maxt + 1);
          if (lo >= hi) continue;
          const ts = s.ts.subarray(lo, hi);
          const vs = s.vs.subarray(lo, hi);
          out.push({
            labels: s.labels,
            cursor: (reuse) => (reuse instanceof ArrayCursor ? reuse.reset(ts, vs) : new ArrayCursor(ts, vs)),
          });
        }
        return new ListSeriesSet(out);
      },
      labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
        const values = new Set<string>();
        for (const s of matching(matchers)) {
          const v = s.labels.get(name);
          if (v !== '') values.add(v);
        }
        return [...values].sort(compareStrings);
      },
      labelNames(matchers: readonly Matcher[] = []): string[] {
        const names = new Set<string>();
        for (const s of matching(matchers)) {
          s.labels.forEach((n) => {
            names.add(n);
          });
        }
        return [...names].sort(compareStrings);
      },
      close() {},
    };
  }

  private series(labels: Labels): MemSeries {
    if (labels.size === 0) throw new InvalidLabelsError(labels.toString(), 'no labels');
    const key = labels.key();
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = new MemSeries(this.byRef.length + 1, labels);
      this.byKey.set(key, s);
      this.byRef.push(s);
    }
    return s;
  }
}

/** The first index in `ts[0..n)` with a timestamp >= t. */
function lowerBound(ts: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ts[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether two floats have the same 64 bits (as Prometheus compares sample values for duplicates). */
function sameBits(a: number, b: number): boolean {
  const [ah, al] = floatBits(a);
  const [bh, bl] = floatBits(b);
  return ah === bh && al === bl;
}
