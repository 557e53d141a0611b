/**
 * The cardinality lists of `/api/v1/status/tsdb`, computed from an inverted index as upstream's
 * `MemPostings.Stats` does: per label name its number of values and the bytes its pairs take, per pair and per
 * metric name its number of series; the `limit` largest of each, largest first (ties by name).
 */
import type { TsdbStat, TsdbStatus } from './query-backend.ts';

/** What the statistics read of an index: names, values and the series count of each pair. */
export interface PostingsIndex {
  labelNames(): string[];
  labelValues(name: string): string[];
  /** Series that have the pair. */
  count(name: string, value: string): number;
}

/** What the head tells besides its index. */
export interface HeadFacts {
  readonly numSeries: number;
  readonly chunkCount: number;
  readonly minTime: number;
  readonly maxTime: number;
  readonly postings: PostingsIndex;
}

/** Bytes of a varint of `n` (how Prometheus' string labels store a length). */
function varintSize(n: number): number {
  let size = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) size++;
  return size;
}

/** Upstream's `labels.SizeOfLabels` (string-labels build): bytes of `n` copies of the pair. */
function sizeOfLabel(name: string, value: string, n: number): number {
  const nb = Buffer.byteLength(name);
  const vb = Buffer.byteLength(value);
  return (varintSize(nb) + nb + varintSize(vb) + vb) * n;
}

/** Keeps the `limit` largest entries (upstream's `maxHeap`). */
class TopK {
  private readonly items: TsdbStat[] = [];
  constructor(private readonly limit: number) {}

  push(name: string, value: number): void {
    this.items.push({ name, value });
    if (this.items.length > this.limit * 4) this.trim();
  }

  get(): TsdbStat[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    this.items.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.items.length = Math.min(this.items.length, this.limit);
  }
}

/** The head's status with the `limit` (≥ 1) largest entries of each list. `metricLabel` is `__name__`. */
export function headStatus(head: HeadFacts, limit: number, metricLabel = '__name__'): TsdbStatus {
  const metrics = new TopK(limit);
  const labels = new TopK(limit);
  const memory = new TopK(limit);
  const pairs = new TopK(limit);
  let numLabelPairs = 0;
  for (const name of head.postings.labelNames()) {
    const values = head.postings.labelValues(name);
    labels.push(name, values.length);
    numLabelPairs += values.length;
    let size = 0;
    for (const value of values) {
      const n = head.postings.count(name, value);
      if (name === metricLabel) metrics.push(value, n);
      pairs.push(`${name}=${value}`, n);
      size += sizeOfLabel(name, value, n);
    }
    memory.push(name, size);
  }
  return {
    headStats: {
      numSeries: head.numSeries,
      numLabelPairs,
      chunkCount: head.chunkCount,
      minTime: head.minTime,
      maxTime: head.maxTime,
    },
    seriesCountByMetricName: metrics.get(),
    labelValueCountByLabelName: labels.get(),
    memoryInBytesByLabelName: memory.get(),
    seriesCountByLabelValuePair: pairs.get(),
  };
}
