/**
 * The samples an appender holds until commit, as three columns, and the head's pool of them. A scrape commits
 * one batch of every series it scraped; taking the columns from the pool instead of allocating them per
 * commit keeps the head's commit path from churning the allocator (each column of a 10k-series scrape is
 * 128 KiB, outside the V8 heap), which left the process' malloc arena fragmented, holding several times the
 * head's live external memory (bench/tsdb: RSS per series).
 */

export class PendingBatch {
  /** Series refs, timestamps (Unix ms) and values of samples `0 … n-1`; entries past `n` are stale. */
  refs: Float64Array;
  ts: Float64Array;
  vs: Float64Array;
  n = 0;

  constructor(capacity: number) {
    this.refs = new Float64Array(capacity);
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
  }

  get capacity(): number {
    return this.refs.length;
  }

  /** Doubles the capacity, keeping the samples. */
  grow(): void {
    const size = this.refs.length * 2;
    const refs = new Float64Array(size);
    const ts = new Float64Array(size);
    const vs = new Float64Array(size);
    refs.set(this.refs.subarray(0, this.n));
    ts.set(this.ts.subarray(0, this.n));
    vs.set(this.vs.subarray(0, this.n));
    this.refs = refs;
    this.ts = ts;
    this.vs = vs;
  }
}

/** Batches larger than this (in samples) are not kept for reuse: 1.5 MiB of columns. */
const maxPooledCapacity = 1 << 16;
/** Free batches kept: one per appender that commits while another is open. */
const maxPooled = 4;

/** Free batches, each returned by the commit or rollback that used it. */
export class BatchPool {
  private readonly free: PendingBatch[] = [];

  /** A batch with n = 0: the largest free one, or a new one of 256 samples. */
  take(): PendingBatch {
    return this.free.pop() ?? new PendingBatch(256);
  }

  /** Gives a batch back; the caller no longer reads or writes it. */
  give(b: PendingBatch): void {
    b.n = 0;
    if (b.capacity > maxPooledCapacity || this.free.length >= maxPooled) return;
    this.free.push(b);
    // Largest last, so take() hands out the one least likely to grow.
    this.free.sort((a, c) => a.capacity - c.capacity);
  }
}
