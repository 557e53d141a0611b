/** Series, series sets and cursors over samples held in typed arrays. */
import type { Labels } from '../model/index.ts';
import type { SampleCursor, Series, SeriesSet } from './interfaces.ts';
import type { SampleBuffer } from './sample-buffer.ts';

/** A cursor over parallel timestamp and value arrays, sorted by timestamp. Reusable with `reset`. */
export class ArrayCursor implements SampleCursor {
  private ts: Float64Array = new Float64Array(0);
  private vs: Float64Array = new Float64Array(0);
  private end = 0;
  private i = -1;

  constructor(ts?: Float64Array, vs?: Float64Array, length?: number) {
    if (ts && vs) this.reset(ts, vs, length);
  }

  /** Points the cursor at new arrays (the first `length` samples), before the first sample. */
  reset(ts: Float64Array, vs: Float64Array, length = ts.length): this {
    this.ts = ts;
    this.vs = vs;
    this.end = length;
    this.i = -1;
    return this;
  }

  next(): boolean {
    if (this.i < this.end) this.i++;
    return this.i < this.end;
  }

  seek(t: number): boolean {
    if (this.i < 0) this.i = 0;
    if (this.i >= this.end) return false;
    if ((this.ts[this.i] as number) >= t) return true;
    let lo = this.i + 1;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ts[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    return lo < this.end;
  }

  /** Appends this sample and the following ones up to `maxt` to `buf` (see SampleCursor). */
  readInto(buf: SampleBuffer, maxt: number): void {
    if (this.i < 0 || this.i >= this.end) return;
    let j = this.i;
    while (j < this.end && (this.ts[j] as number) <= maxt) j++;
    const count = j - this.i;
    buf.reserve(count);
    buf.ts.set(this.ts.subarray(this.i, j), buf.n);
    buf.vs.set(this.vs.subarray(this.i, j), buf.n);
    buf.n += count;
    this.i = j;
  }

  atT(): number {
    return this.ts[this.i] as number;
  }

  atV(): number {
    return this.vs[this.i] as number;
  }

  err(): Error | null {
    return null;
  }
}

/** A series whose samples are in typed arrays. */
export class ListSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly ts: Float64Array,
    private readonly vs: Float64Array,
  ) {}

  cursor(reuse?: SampleCursor): SampleCursor {
    return reuse instanceof ArrayCursor ? reuse.reset(this.ts, this.vs) : new ArrayCursor(this.ts, this.vs);
  }
}

/** A series set over an array of series, in the array's order. */
export class ListSeriesSet implements SeriesSet {
  private i = -1;

  constructor(
    private readonly series: readonly Series[],
    private readonly warns: readonly string[] = [],
  ) {}

  next(): boolean {
    if (this.i < this.series.length) this.i++;
    return this.i < this.series.length;
  }

  at(): Series {
    return this.series[this.i] as Series;
  }

  err(): Error | null {
    return null;
  }

  warnings(): readonly string[] {
    return this.warns;
  }
}

/** A series set that failed: no series, and `err()` says why. */
export class ErrorSeriesSet implements SeriesSet {
  constructor(private readonly error: Error) {}
  next(): boolean {
    return false;
  }
  at(): Series {
    throw new Error('ErrorSeriesSet has no series');
  }
  err(): Error | null {
    return this.error;
  }
  warnings(): readonly string[] {
    return [];
  }
}

export const emptySeriesSet: SeriesSet = new ListSeriesSet([]);
