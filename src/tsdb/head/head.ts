/**
 * The head: the newest samples, in memory and in the head chunk files, with an inverted index. Appends go
 * through a HeadAppender (validated, logged to the WAL on commit, then applied); reads through a HeadQuerier.
 * Single-threaded: appends and reads interleave only between calls, never within one.
 */
import { mkdirSync } from 'node:fs';
import type { Logger } from '../../log/index.ts';
import type { Labels } from '../../model/index.ts';
import { MemPostings } from '../index/mem-postings.ts';
import { HeadChunkFiles } from './head-chunks.ts';
import { MemSeries } from './mem-series.ts';
import { BatchPool } from './pending-batch.ts';
import { SeriesByLabels } from './series-map.ts';

/** Where the head's committed batches go before they are applied: the WAL, or nothing in tests. */
export interface HeadLog {
  /** Logs new series and samples of one commit; resolves when they are as durable as the policy says. */
  logCommit(
    series: readonly MemSeries[],
    refs: Float64Array,
    ts: Float64Array,
    vs: Float64Array,
    n: number,
  ): Promise<void>;
}

export interface HeadOptions {
  /** Directory of the head chunk files (`<tsdb>/chunks_head`); created when missing. */
  chunksDir: string;
  logger: Logger;
  /** Block range in ms: chunks never cross a multiple of it. @default 7200000 (2h) */
  chunkRangeMs?: number;
  /** The WAL; undefined keeps the head in memory and chunk files only. */
  log?: HeadLog;
}

export class Head {
  readonly postings = new MemPostings();
  readonly chunkRangeMs: number;
  readonly files: HeadChunkFiles;
  /** Appenders' pending-sample columns, reused from commit to commit. */
  readonly batches = new BatchPool();
  private readonly byLabels = new SeriesByLabels();
  private readonly byRef = new Map<number, MemSeries>();
  private lastRef = 0;
  /** Oldest and newest sample timestamps appended; +/-Infinity while empty. */
  minTime = Number.POSITIVE_INFINITY;
  maxTime = Number.NEGATIVE_INFINITY;
  /** Samples older than this are refused (they belong to persisted blocks). */
  minValidTime = Number.NEGATIVE_INFINITY;
  log: HeadLog | undefined;
  /** Deleted intervals by series ref (Unix ms, inclusive), sorted and not overlapping. */
  readonly tombstones = new Map<number, Array<{ mint: number; maxt: number }>>();
  /** Counters for self-metrics. */
  readonly stats = {
    samplesAppended: 0,
    outOfOrderAtCommit: 0,
    seriesCreated: 0,
    seriesRemoved: 0,
    chunksCreated: 0,
    chunksRemoved: 0,
  };

  constructor(readonly options: HeadOptions) {
    this.chunkRangeMs = options.chunkRangeMs ?? 2 * 3600_000;
    this.log = options.log;
    mkdirSync(options.chunksDir, { recursive: true });
    this.files = HeadChunkFiles.open(options.chunksDir, options.logger);
  }

  get numSeries(): number {
    return this.byRef.size;
  }

  seriesByRef(ref: number): MemSeries | undefined {
    return this.byRef.get(ref);
  }

  seriesByLabels(labels: Labels): MemSeries | undefined {
    return this.byLabels.get(labels);
  }

  /** The series with these labels, created (with a new ref, or `ref` during WAL replay) when missing. */
  getOrCreate(labels: Labels, ref?: number): { series: MemSeries; created: boolean } {
    const found = this.byLabels.get(labels);
    if (found !== undefined) return { series: found, created: false };
    const r = ref ?? this.lastRef + 1;
    if (r > this.lastRef) this.lastRef = r;
    const series = new MemSeries(r, labels);
    this.byLabels.add(series);
    this.byRef.set(r, series);
    this.postings.add(r, labels);
    this.stats.seriesCreated++;
    return { series, created: true };
  }

  /** Applies committed samples to their series (already validated) and widens the time bounds. */
  applySamples(refs: Float64Array, ts: Float64Array, vs: Float64Array, n: number): void {
    let outOfOrder = 0;
    for (let i = 0; i < n; i++) {
      const s = this.byRef.get(refs[i] as number);
      if (s === undefined) continue;
      if ((ts[i] as number) <= s.maxt || (ts[i] as number) < this.minValidTime) {
        // Another batch committed newer samples of this series after this one validated its own.
        outOfOrder++;
        continue;
      }
      const before = s.mmapped.length;
      const t = ts[i] as number;
      s.append(t, vs[i] as number, this.chunkRangeMs, this.files);
      if (s.mmapped.length !== before) this.stats.chunksCreated++;
      if (t < this.minTime) this.minTime = t;
      if (t > this.maxTime) this.maxTime = t;
    }
    this.stats.samplesAppended += n - outOfOrder;
    this.stats.outOfOrderAtCommit += outOfOrder;
  }

  /** Every series, in ref order (for compaction and statistics). */
  allSeries(): IterableIterator<MemSeries> {
    return this.byRef.values();
  }

  /**
   * Drops everything older than `mint` (after it went into a block): chunks, then series left without samples
   * and not appended to since. Deletes head chunk files that only held dropped chunks.
   */
  truncate(mint: number): void {
    const gone = new Set<number>();
    for (const s of this.byRef.values()) {
      this.stats.chunksRemoved += s.truncateBefore(mint);
      // A series an open appender created or used stays, or its commit would find no series to apply to.
      if (s.head === null && s.mmapped.length === 0 && s.pendingCommits === 0) gone.add(s.ref);
    }
    for (const ref of gone) {
      const s = this.byRef.get(ref) as MemSeries;
      this.byRef.delete(ref);
      this.byLabels.delete(s);
      this.tombstones.delete(ref);
    }
    for (const [ref, intervals] of this.tombstones) {
      const kept = intervals.filter((iv) => iv.maxt >= mint);
      if (kept.length === 0) this.tombstones.delete(ref);
      else this.tombstones.set(ref, kept);
    }
    if (gone.size > 0) this.postings.delete(gone);
    this.stats.seriesRemoved += gone.size;
    this.minValidTime = Math.max(this.minValidTime, mint);
    this.minTime = Number.POSITIVE_INFINITY;
    for (const s of this.byRef.values()) if (s.mint < this.minTime) this.minTime = s.mint;
    this.files.flush();
    this.files.truncateBefore(mint);
  }

  /** Flushes the head chunk files. */
  flush(): void {
    this.files.flush();
  }

  /** Writes buffered chunks and closes the files. The in-memory head chunks are in the WAL. */
  close(): void {
    this.files.close();
  }
}
