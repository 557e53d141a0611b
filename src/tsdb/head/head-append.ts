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
import type { PendingBatch } from './pending-batch.ts';

let appenderIds = 0;
const noSamples = new Float64Array(0);

export class HeadAppender implements Appender {
  /** The pending samples, from the head's pool at the first append; back to the pool after commit or rollback. */
  private batch: PendingBatch | null = null;
  /** Series this batch has used (once per stretch in which no other appender used them). */
  private touched: MemSeries[] = [];
  /**
   * Stamped on a series with its newest pending sample, instead of a per-batch map: cheaper per sample. When
   * two open appenders add to one series, the later stamp wins and the earlier appender checks order against
   * the committed samples only; the head then drops its out-of-order sample at commit and counts it.
   */
  private readonly id = ++appenderIds;
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
    const mine = s.pendingBy === this.id;
    if (!mine) {
      s.pendingBy = this.id;
      s.pendingMaxt = Number.NEGATIVE_INFINITY;
      s.pendingCommits++;
      this.touched.push(s);
    }
    const newest = mine && s.pendingMaxt > Number.NEGATIVE_INFINITY ? s.pendingMaxt : s.maxt;
    if (t < newest) throw new OutOfOrderSampleError(t, newest);
    if (t === newest) {
      if (!sameBits(mine && s.pendingMaxt === t ? s.pendingValue : s.lastValue, v)) throw new DuplicateSampleError(t);
      return s.ref;
    }
    let b = this.batch;
    if (b === null) {
      b = this.head.batches.take();
      this.batch = b;
    }
    if (b.n === b.capacity) b.grow();
    const i = b.n++;
    b.refs[i] = s.ref;
    b.ts[i] = t;
    // The WAL must carry the marker's exact bits even when V8 quieted it on the way here.
    b.vs[i] = isStaleNaN(v) ? staleNaN : v;
    s.pendingMaxt = t;
    s.pendingValue = v;
    return s.ref;
  }

  async commit(): Promise<void> {
    const { batch, touched } = this;
    const series = touched.filter((s) => !s.logged);
    this.release();
    try {
      const n = batch?.n ?? 0;
      if (n === 0 && series.length === 0) return;
      const refs = batch?.refs ?? noSamples;
      const ts = batch?.ts ?? noSamples;
      const vs = batch?.vs ?? noSamples;
      if (this.head.log) await this.head.log.logCommit(series, refs, ts, vs, n);
      for (const s of series) s.logged = true;
      this.head.applySamples(refs, ts, vs, n);
    } finally {
      for (const s of touched) s.pendingCommits--;
      if (batch !== null) this.head.batches.give(batch);
    }
  }

  rollback(): void {
    for (const s of this.touched) s.pendingCommits--;
    const batch = this.batch;
    this.release();
    if (batch !== null) this.head.batches.give(batch);
  }

  /** Forgets the batch: it now belongs to the commit. Appending again starts a new batch. */
  private release(): void {
    for (const s of this.touched) if (s.pendingBy === this.id) s.pendingBy = 0;
    this.touched = [];
    this.batch = null;
  }
}

/** Same 64 bits (Prometheus compares sample values bitwise for duplicates). */
function sameBits(a: number, b: number): boolean {
  const [ah, al] = floatBits(a);
  const [bh, bl] = floatBits(b);
  return ah === bh && al === bl;
}
