/**
 * Appending to the head: samples are validated as they come, held in typed arrays until commit, logged to the
 * WAL, then applied to their series. The rules are Prometheus': older than the newest sample of the series is
 * out of order; the same timestamp with other value bits is a duplicate; older than the head allows
 * (persisted blocks, or more than half a chunk range behind the newest sample) is out of bounds.
 */
import { floatBits, isStaleNaN, type Labels, staleNaN } from '../../model/index.ts';
import {
  type Appender,
  DuplicateSampleError,
  InvalidLabelsError,
  OutOfBoundsError,
  OutOfOrderSampleError,
  type SeriesRef,
} from '../../storage/index.ts';
import type { Head } from './head.ts';
import type { MemSeries } from './mem-series.ts';

export class HeadAppender implements Appender {
  private refs = new Float64Array(256);
  private ts = new Float64Array(256);
  private vs = new Float64Array(256);
  private n = 0;
  /** Series this batch must log before its samples: created here, or created by a batch not yet committed. */
  private readonly unlogged: MemSeries[] = [];
  /** Series this batch has used; each holds a pending-commit count until commit or rollback. */
  private readonly touched = new Set<MemSeries>();
  /** Newest pending timestamp per series ref in this batch. */
  private readonly pendingMaxt = new Map<number, number>();
  private readonly minValidTime: number;

  constructor(private readonly head: Head) {
    const h = head;
    this.minValidTime = Number.isFinite(h.maxTime)
      ? Math.max(h.minValidTime, h.maxTime - h.chunkRangeMs / 2)
      : h.minValidTime;
  }

  append(labels: Labels, t: number, v: number, ref?: SeriesRef): SeriesRef {
    if (t < this.minValidTime) throw new OutOfBoundsError(t, this.minValidTime);
    let s = ref ? this.head.seriesByRef(ref) : undefined;
    if (s === undefined || (ref !== undefined && s.labels !== labels && !s.labels.equals(labels))) {
      if (labels.size === 0) throw new InvalidLabelsError(labels.toString(), 'a series needs at least one label');
      s = this.head.getOrCreate(labels).series;
    }
    if (!this.touched.has(s)) {
      this.touched.add(s);
      s.pendingCommits++;
      if (!s.logged) this.unlogged.push(s);
    }
    const pending = this.pendingMaxt.get(s.ref);
    const newest = pending ?? s.maxt;
    if (t < newest) throw new OutOfOrderSampleError(t, newest);
    if (t === newest) {
      const last = pending !== undefined ? this.lastPendingValue(s.ref) : s.lastValue;
      if (!sameBits(last, v)) throw new DuplicateSampleError(t);
      return s.ref;
    }
    if (this.n === this.refs.length) this.grow();
    this.refs[this.n] = s.ref;
    this.ts[this.n] = t;
    // The WAL must carry the marker's exact bits even when V8 quieted it on the way here.
    this.vs[this.n] = isStaleNaN(v) ? staleNaN : v;
    this.n++;
    this.pendingMaxt.set(s.ref, t);
    return s.ref;
  }

  async commit(): Promise<void> {
    const { n, refs, ts, vs } = this;
    const series = this.unlogged.filter((s) => !s.logged);
    const touched = [...this.touched];
    this.reset();
    try {
      if (n === 0 && series.length === 0) return;
      if (this.head.log) await this.head.log.logCommit(series, refs, ts, vs, n);
      for (const s of series) s.logged = true;
      this.head.applySamples(refs, ts, vs, n);
    } finally {
      for (const s of touched) s.pendingCommits--;
    }
  }

  rollback(): void {
    for (const s of this.touched) s.pendingCommits--;
    this.reset();
  }

  private reset(): void {
    this.refs = new Float64Array(256);
    this.ts = new Float64Array(256);
    this.vs = new Float64Array(256);
    this.n = 0;
    this.unlogged.length = 0;
    this.touched.clear();
    this.pendingMaxt.clear();
  }

  private lastPendingValue(ref: number): number {
    for (let i = this.n - 1; i >= 0; i--) if (this.refs[i] === ref) return this.vs[i] as number;
    return Number.NaN;
  }

  private grow(): void {
    const size = this.refs.length * 2;
    const refs = new Float64Array(size);
    const ts = new Float64Array(size);
    const vs = new Float64Array(size);
    refs.set(this.refs);
    ts.set(this.ts);
    vs.set(this.vs);
    this.refs = refs;
    this.ts = ts;
    this.vs = vs;
  }
}

/** Same 64 bits (Prometheus compares sample values bitwise for duplicates). */
function sameBits(a: number, b: number): boolean {
  const [ah, al] = floatBits(a);
  const [bh, bl] = floatBits(b);
  return ah === bh && al === bl;
}
