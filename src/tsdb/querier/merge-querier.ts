/** Reading several blocks and the head as one. */
import { compareStrings, type Labels, type Matcher } from '../../model/index.ts';
import {
  MergeCursor,
  MergeSeriesSet,
  type Querier,
  type SelectHints,
  type Series,
  type SeriesSet,
} from '../../storage/index.ts';
import { ChunkListCursor, isChunkedSeries, JoinedChunkList } from './chunks-cursor.ts';

/** Several queriers read as one: series merged by labels, label names and values united. */
export class MergeQuerier implements Querier {
  constructor(private readonly parts: readonly Querier[]) {}

  select(sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    if (this.parts.length === 1) return (this.parts[0] as Querier).select(sorted, hints, matchers);
    return new MergeSeriesSet(
      this.parts.map((p) => p.select(true, hints, matchers)),
      joinParts,
    );
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    return unite(this.parts.map((p) => p.labelValues(name, matchers)));
  }

  labelNames(matchers?: readonly Matcher[]): string[] {
    return unite(this.parts.map((p) => p.labelNames(matchers)));
  }

  close(): void {
    for (const p of this.parts) p.close();
  }
}

/**
 * One series from its parts in several blocks and the head. When the parts come in time order without
 * overlapping and without deletions (the usual case), their chunk lists are read as one list; otherwise their
 * samples are merged.
 */
function joinParts(labels: Labels, parts: readonly Series[]): Series {
  const views = parts.map((p) => (isChunkedSeries(p) ? p.chunkView() : null));
  const ordered: Array<NonNullable<(typeof views)[number]>> = [];
  for (const v of views) {
    if (v === null || v.deleted.length > 0 || v.list.length === 0) return mergedSeries(labels, parts);
    ordered.push(v);
  }
  ordered.sort((a, b) => a.list.minTime(0) - b.list.minTime(0));
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1] as (typeof ordered)[number];
    const cur = ordered[i] as (typeof ordered)[number];
    if (cur.list.minTime(0) <= prev.list.maxTime(prev.list.length - 1)) return mergedSeries(labels, parts);
  }
  const list = new JoinedChunkList(ordered.map((v) => v.list));
  const { mint, maxt } = ordered[0] as (typeof ordered)[number];
  return {
    labels,
    cursor: (reuse) => (reuse instanceof ChunkListCursor ? reuse : new ChunkListCursor()).reset(list, mint, maxt),
  };
}

function mergedSeries(labels: Labels, parts: readonly Series[]): Series {
  return { labels, cursor: () => new MergeCursor(parts.map((p) => p.cursor())) };
}

function unite(lists: readonly string[][]): string[] {
  if (lists.length === 1) return lists[0] as string[];
  return [...new Set(lists.flat())].sort(compareStrings);
}
