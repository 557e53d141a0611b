/**
 * Reading the head: a Querier over `[mint, maxt]`. A select takes a snapshot of each matching series' chunk
 * list (copying the bytes of the chunk being appended to), so later appends do not disturb a read in
 * progress; full chunks are read from the head chunk files when the cursor reaches them.
 */
import { compareLabels, type Matcher } from '../../model/index.ts';
import { ListSeriesSet, type Querier, type SelectHints, type Series, type SeriesSet } from '../../storage/index.ts';
import { Encoding } from '../chunkenc/index.ts';
import { expand } from '../index/postings.ts';
import { postingsForMatchers } from '../index/select.ts';
import { type ChunkList, ChunkListSeries } from '../querier/chunks-cursor.ts';
import { namesOf, valuesOf } from '../querier/label-sets.ts';
import type { Head } from './head.ts';
import type { HeadChunkFiles } from './head-chunks.ts';
import type { MemSeries } from './mem-series.ts';

/** A chunk of a snapshot: bytes in hand, or a ref into the head chunk files. */
interface ChunkRef {
  mint: number;
  maxt: number;
  bytes: Uint8Array | null;
  ref: number;
}

export class HeadQuerier implements Querier {
  constructor(
    private readonly head: Head,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  select(sorted: boolean, _hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet {
    const series = this.matching(matchers);
    if (sorted) series.sort((a, b) => compareLabels(a.labels, b.labels));
    const out: Series[] = [];
    for (const s of series) {
      const chunks = snapshot(s, this.mint, this.maxt);
      if (chunks.length === 0) continue;
      const deleted = this.head.tombstones.get(s.ref) ?? [];
      if (deleted.some((iv) => iv.mint <= this.mint && iv.maxt >= this.maxt)) continue;
      out.push(
        new ChunkListSeries(s.labels, new HeadChunkList(chunks, this.head.files), this.mint, this.maxt, deleted),
      );
    }
    return new ListSeriesSet(out);
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.head.postings.labelValues(name);
    return valuesOf(
      this.matching(matchers).map((s) => s.labels),
      name,
    );
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.head.postings.labelNames();
    return namesOf(this.matching(matchers).map((s) => s.labels));
  }

  close(): void {}

  private matching(matchers: readonly Matcher[]): MemSeries[] {
    const out: MemSeries[] = [];
    for (const ref of expand(postingsForMatchers(this.head.postings, matchers))) {
      const s = this.head.seriesByRef(ref);
      if (s !== undefined) out.push(s);
    }
    return out;
  }
}

function snapshot(s: MemSeries, mint: number, maxt: number): ChunkRef[] {
  const out: ChunkRef[] = [];
  for (const c of s.mmapped) {
    if (c.maxt >= mint && c.mint <= maxt) out.push({ mint: c.mint, maxt: c.maxt, bytes: null, ref: c.ref });
  }
  if (s.head !== null && s.headMaxt >= mint && s.headMint <= maxt) {
    out.push({ mint: s.headMint, maxt: s.headMaxt, bytes: s.head.bytes().slice(), ref: 0 });
  }
  return out;
}

/** A snapshot's chunks: bytes in hand for the open chunk, refs into the head chunk files for full ones. */
class HeadChunkList implements ChunkList {
  constructor(
    private readonly chunks: readonly ChunkRef[],
    private readonly files: HeadChunkFiles,
  ) {}

  get length(): number {
    return this.chunks.length;
  }

  minTime(i: number): number {
    return (this.chunks[i] as ChunkRef).mint;
  }

  maxTime(i: number): number {
    return (this.chunks[i] as ChunkRef).maxt;
  }

  load(i: number): { encoding: number; data: Uint8Array } {
    const c = this.chunks[i] as ChunkRef;
    if (c.bytes !== null) return { encoding: Encoding.XOR, data: c.bytes };
    return this.files.read(c.ref);
  }
}
