/**
 * A target's scrape cache, as Prometheus' `scrapeCache`: series text to ref and final labels (so an unchanged
 * series skips label building), series dropped by metric relabeling, which series the last two scrapes wrote
 * (flags on the entries rather than Prometheus' two maps: no map insert per sample), and HELP/TYPE/UNIT per
 * metric family. Survives a job reload when the job's metric-shaping
 * settings did not change.
 */
import type { MetricType } from '../exposition/index.ts';
import type { Labels } from '../model/index.ts';
import type { SeriesRef } from '../storage/index.ts';
import type { MetadataSource, MetricMetadata } from './target.ts';

/** A cached series. `labels` is the exact object appended, so storages can compare it by identity. */
export interface CacheEntry {
  ref: SeriesRef;
  readonly labels: Labels;
  lastIter: number;
  /** Written (without an explicit timestamp) by the last committed scrape / by the current one. */
  seenPrev: boolean;
  seenCur: boolean;
}

interface MetaEntry {
  type: MetricType;
  help: string;
  unit: string;
  lastIter: number;
}

/** Metadata outlives its family by this many successful scrapes, as in Prometheus. */
const metadataKeepIters = 10;

/** Used by one loop at a time (a reload hands it to the next loop only after the old one stopped). */
export class ScrapeCache implements MetadataSource {
  /** Counts successful, non-empty scrapes. */
  private iter = 0;
  private readonly series = new Map<string, CacheEntry>();
  private readonly dropped = new Map<string, number>();
  private readonly metadata = new Map<string, MetaEntry>();
  private successfulCount = 0;

  /** The entry for a series text, marking it seen in this scrape. */
  get(key: string): CacheEntry | undefined {
    const e = this.series.get(key);
    if (e !== undefined) e.lastIter = this.iter;
    return e;
  }

  addRef(key: string, ref: SeriesRef, labels: Labels): CacheEntry {
    const e: CacheEntry = { ref, labels, lastIter: this.iter, seenPrev: false, seenCur: false };
    this.series.set(key, e);
    return e;
  }

  /** Remembers that metric relabeling dropped this series text. */
  addDropped(key: string): void {
    this.dropped.set(key, this.iter);
  }

  isDropped(key: string): boolean {
    if (!this.dropped.has(key)) return false;
    this.dropped.set(key, this.iter);
    return true;
  }

  /**
   * Calls `fn` for each series of the previous scrape that the current one did not write. (Two series texts
   * relabeled to the same labels are tracked apart; a marker for labels the scrape did write is refused by
   * the storage as a duplicate.)
   */
  forEachStale(fn: (labels: Labels) => void): void {
    for (const e of this.series.values()) if (e.seenPrev && !e.seenCur) fn(e.labels);
  }

  /** Forgets what the current scrape tracked (it failed and will not count). */
  abandonIter(): void {
    for (const e of this.series.values()) e.seenCur = false;
  }

  /**
   * Ends a scrape whose samples were committed: the current series become the previous ones. `flush` (the
   * body was not empty) drops cache entries the scrape did not see; a cache that doubled since the last
   * flush is flushed anyway, so failing scrapes with churning series cannot grow it without bound.
   */
  iterDone(flush: boolean): void {
    const count = this.series.size + this.dropped.size + this.metadata.size;
    if (flush) this.successfulCount = count;
    else if (count > this.successfulCount * 2 + 1000) flush = true;
    if (flush) {
      for (const [k, e] of this.series) if (e.lastIter !== this.iter) this.series.delete(k);
      for (const [k, it] of this.dropped) if (it !== this.iter) this.dropped.delete(k);
      for (const [k, m] of this.metadata) if (this.iter - m.lastIter > metadataKeepIters) this.metadata.delete(k);
      this.iter++;
    }
    for (const e of this.series.values()) {
      e.seenPrev = e.seenCur;
      e.seenCur = false;
    }
  }

  setType(metric: string, type: MetricType): void {
    this.meta(metric).type = type;
  }

  setHelp(metric: string, help: string): void {
    this.meta(metric).help = help;
  }

  setUnit(metric: string, unit: string): void {
    this.meta(metric).unit = unit;
  }

  listMetadata(): MetricMetadata[] {
    return [...this.metadata].map(([metric, m]) => ({ metric, type: m.type, help: m.help, unit: m.unit }));
  }

  getMetadata(metric: string): MetricMetadata | undefined {
    const m = this.metadata.get(metric);
    return m === undefined ? undefined : { metric, type: m.type, help: m.help, unit: m.unit };
  }

  /** Number of cached series (for tests and self-metrics). */
  get size(): number {
    return this.series.size;
  }

  private meta(metric: string): MetaEntry {
    let m = this.metadata.get(metric);
    if (m === undefined) {
      m = { type: 'unknown', help: '', unit: '', lastIter: this.iter };
      this.metadata.set(metric, m);
    }
    m.lastIter = this.iter;
    return m;
  }
}
