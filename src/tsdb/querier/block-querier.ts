/** Reading a persisted block: a Querier over its index and chunks, skipping deleted intervals. */
import type { Labels, Matcher } from '../../model/index.ts';
import { ListSeriesSet, type Querier, type SelectHints, type Series, type SeriesSet } from '../../storage/index.ts';
import type { BlockReader, ChunkMeta, ChunkReader } from '../block/index.ts';
import { expand } from '../index/postings.ts';
import { postingsForMatchers } from '../index/select.ts';
import { type ChunkList, ChunkListSeries, type DeletedInterval } from './chunks-cursor.ts';
import { namesOf, valuesOf } from './label-sets.ts';

/**
 * Series come in label order (an index stores series sorted), so `sorted` costs nothing. Time bounds are
 * inclusive; a block's meta maxTime is exclusive and is not needed here.
 */
export class BlockQuerier implements Querier {
  constructor(
    private readonly block: BlockReader,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(_sorted: boolean, _hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const { index, chunks, tombstones } = this.block;
    const out: Series[] = [];
    for (const ref of expand(postingsForMatchers(index, matchers))) {
      const s = index.series(ref);
      const inRange = s.chunks.filter((c) => c.maxTime >= this.mint && c.minTime <= this.maxt);
      if (inRange.length === 0) continue;
      const deleted = tombstones.get(ref) ?? [];
      if (deleted.length > 0 && inRange.every((c) => covered(deleted, c.minTime, c.maxTime))) continue;
      out.push(new ChunkListSeries(s.labels, new BlockChunkList(inRange, chunks), this.mint, this.maxt, deleted));
    }
    return new ListSeriesSet(out);
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    const { index } = this.block;
    if (matchers.length === 0) return index.labelValues(name);
    return valuesOf(this.matchingLabels(matchers), name);
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    const { index } = this.block;
    if (matchers.length === 0) return index.labelNames();
    return namesOf(this.matchingLabels(matchers));
  }

  private matchingLabels(matchers: readonly Matcher[]): Labels[] {
    const { index } = this.block;
    return expand(postingsForMatchers(index, matchers)).map((ref) => index.series(ref).labels);
  }

  close(): void {}
}

class BlockChunkList implements ChunkList {
  constructor(
    private readonly metas: readonly ChunkMeta[],
    private readonly reader: ChunkReader,
  ) {}

  get length(): number {
    return this.metas.length;
  }

  minTime(i: number): number {
    return (this.metas[i] as ChunkMeta).minTime;
  }

  maxTime(i: number): number {
    return (this.metas[i] as ChunkMeta).maxTime;
  }

  load(i: number): { encoding: number; data: Uint8Array } {
    return this.reader.chunk((this.metas[i] as ChunkMeta).ref);
  }
}

function covered(intervals: readonly DeletedInterval[], mint: number, maxt: number): boolean {
  return intervals.some((iv) => iv.mint <= mint && iv.maxt >= maxt);
}
