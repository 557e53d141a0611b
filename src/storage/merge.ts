/**
 * Merging: several sorted series sets into one (the querier over head and blocks), and several cursors of
 * one series into one, dropping samples at a timestamp already given (overlapping blocks).
 */
import { compareLabels, type Labels } from '../model/index.ts';
import type { SampleCursor, Series, SeriesSet } from './interfaces.ts';

/**
 * Merges series sets that are each sorted by labels into one sorted set; series with equal labels in several
 * sets become one series whose samples are merged. Warnings of all sets are kept; the first error ends it.
 */
export class MergeSeriesSet implements SeriesSet {
  private readonly heads: Array<SeriesSet | null>;
  private started = false;
  private current: Series | null = null;
  private error: Error | null = null;

  /**
   * `combine` builds the series for labels that several sets have (in set order); the default merges their
   * samples with a MergeCursor. A storage that can join the parts more cheaply passes its own.
   */
  constructor(
    private readonly sets: readonly SeriesSet[],
    private readonly combine: (labels: Labels, parts: readonly Series[]) => Series = (labels, parts) =>
      new MergedSeries(labels, parts),
  ) {
    this.heads = sets.map(() => null);
  }

  next(): boolean {
    if (this.error) return false;
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.sets.length; i++) this.advance(i);
    } else {
      // Move past every set that contributed to the current series.
      const labels = this.current?.labels;
      for (let i = 0; i < this.sets.length; i++) {
        const h = this.heads[i];
        if (h && labels && h.at().labels.equals(labels)) this.advance(i);
      }
    }
    if (this.error) return false;
    let min: Labels | null = null;
    for (const h of this.heads) {
      if (h && (min === null || compareLabels(h.at().labels, min) < 0)) min = h.at().labels;
    }
    if (min === null) return false;
    const parts: Series[] = [];
    for (const h of this.heads) if (h?.at().labels.equals(min)) parts.push(h.at());
    this.current = parts.length === 1 ? (parts[0] as Series) : this.combine(min, parts);
    return true;
  }

  at(): Series {
    return this.current as Series;
  }

  err(): Error | null {
    return this.error;
  }

  warnings(): readonly string[] {
    return this.sets.flatMap((s) => s.warnings());
  }

  private advance(i: number): void {
    const set = this.sets[i] as SeriesSet;
    if (set.next()) this.heads[i] = set;
    else {
      this.heads[i] = null;
      this.error ??= set.err();
    }
  }
}

/** One series made of the samples of several with the same labels. */
class MergedSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly parts: readonly Series[],
  ) {}

  cursor(): SampleCursor {
    return new MergeCursor(this.parts.map((p) => p.cursor()));
  }
}

/**
 * Merges cursors into one in timestamp order. At equal timestamps the first cursor's sample wins and the
 * others are skipped. While the current cursor stays behind every other one (the usual case: blocks that do
 * not overlap), it is advanced alone, without looking at the others.
 */
export class MergeCursor implements SampleCursor {
  private readonly live: boolean[];
  private cur = -1;
  /** The smallest current timestamp among the live cursors other than `cur`. */
  private othersMin = Number.POSITIVE_INFINITY;
  private started = false;
  private error: Error | null = null;

  constructor(private readonly cursors: readonly SampleCursor[]) {
    this.live = cursors.map(() => false);
  }

  next(): boolean {
    if (!this.started) {
      this.started = true;
      for (let i = 0; i < this.cursors.length; i++) this.live[i] = this.advance(i);
      return this.pick();
    }
    if (this.cur < 0) return false;
    const t = this.atT();
    if (this.othersMin > t) {
      // No other cursor is at t: advance the current one alone.
      const c = this.cursors[this.cur] as SampleCursor;
      if (c.next()) {
        if (c.atT() < this.othersMin) return true;
      } else {
        this.live[this.cur] = false;
        this.error ??= c.err();
      }
      return this.pick();
    }
    for (let i = 0; i < this.cursors.length; i++) {
      if (this.live[i] && (this.cursors[i] as SampleCursor).atT() === t) this.live[i] = this.advance(i);
    }
    return this.pick();
  }

  seek(t: number): boolean {
    if (this.started && this.cur >= 0 && this.atT() >= t) return true;
    const first = !this.started;
    this.started = true;
    for (let i = 0; i < this.cursors.length; i++) {
      if (!this.live[i] && !first) continue;
      const c = this.cursors[i] as SampleCursor;
      if (c.seek(t)) this.live[i] = true;
      else {
        this.live[i] = false;
        this.error ??= c.err();
      }
    }
    return this.pick();
  }

  atT(): number {
    return (this.cursors[this.cur] as SampleCursor).atT();
  }

  atV(): number {
    return (this.cursors[this.cur] as SampleCursor).atV();
  }

  err(): Error | null {
    return this.error;
  }

  private advance(i: number): boolean {
    const c = this.cursors[i] as SampleCursor;
    if (c.next()) return true;
    this.error ??= c.err();
    return false;
  }

  /** Chooses the live cursor with the smallest timestamp (the first on ties) and notes the next smallest. */
  private pick(): boolean {
    this.cur = -1;
    if (this.error) return false;
    let best = Number.POSITIVE_INFINITY;
    let second = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.cursors.length; i++) {
      if (!this.live[i]) continue;
      const t = (this.cursors[i] as SampleCursor).atT();
      if (t < best) {
        second = best;
        best = t;
        this.cur = i;
      } else if (t < second) second = t;
    }
    this.othersMin = second;
    return this.cur >= 0;
  }
}
