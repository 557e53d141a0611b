/**
 * Reading the head: a Querier over `[mint, maxt]`. A select takes a snapshot of each matching series' chunk
 * list (copying the bytes of the chunk being appended to), so later appends do not disturb a read in
 * progress; full chunks are read from the head chunk files when the cursor reaches them.
 */
import { compareLabels, compareStrings, type Labels, type Matcher } from '../../model/index.ts';
import {
  ListSeriesSet,
  type Querier,
  type SampleCursor,
  type SelectHints,
  type Series,
  type SeriesSet,
} from '../../storage/index.ts';
import { ValueType, XorIterator } from '../chunkenc/index.ts';
import { expand } from '../index/postings.ts';
import { postingsForMatchers } from '../index/select.ts';
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
      if (chunks.length > 0) out.push(new HeadSeries(s.labels, chunks, this.head.files, this.mint, this.maxt));
    }
    return new ListSeriesSet(out);
  }

  labelValues(name: string, matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.head.postings.labelValues(name);
    const values = new Set<string>();
    for (const s of this.matching(matchers)) {
      const v = s.labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values].sort(compareStrings);
  }

  labelNames(matchers: readonly Matcher[] = []): string[] {
    if (matchers.length === 0) return this.head.postings.labelNames();
    const names = new Set<string>();
    for (const s of this.matching(matchers)) {
      s.labels.forEach((n) => {
        names.add(n);
      });
    }
    return [...names].sort(compareStrings);
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

class HeadSeries implements Series {
  constructor(
    readonly labels: Labels,
    private readonly chunks: readonly ChunkRef[],
    private readonly files: HeadChunkFiles,
    private readonly mint: number,
    private readonly maxt: number,
  ) {}

  cursor(reuse?: SampleCursor): SampleCursor {
    if (reuse instanceof ChunksCursor) return reuse.reset(this.chunks, this.files, this.mint, this.maxt);
    return new ChunksCursor().reset(this.chunks, this.files, this.mint, this.maxt);
  }
}

/** Samples of a list of chunks, in order, restricted to `[mint, maxt]`. */
export class ChunksCursor implements SampleCursor {
  private chunks: readonly ChunkRef[] = [];
  private files: HeadChunkFiles | null = null;
  private mint = 0;
  private maxt = 0;
  private i = -1;
  private readonly it = new XorIterator();
  private t = 0;
  private v = 0;
  private error: Error | null = null;
  private done = false;
  private positioned = false;

  reset(chunks: readonly ChunkRef[], files: HeadChunkFiles, mint: number, maxt: number): this {
    this.chunks = chunks;
    this.files = files;
    this.mint = mint;
    this.maxt = maxt;
    this.i = -1;
    this.error = null;
    this.done = false;
    this.positioned = false;
    return this;
  }

  next(): boolean {
    if (this.done) return false;
    for (;;) {
      if (this.i >= 0 && this.it.next() !== ValueType.None) {
        const t = this.it.atT();
        if (t > this.maxt) return this.finish(null);
        if (t < this.mint) continue;
        this.t = t;
        this.v = this.it.at();
        this.positioned = true;
        return true;
      }
      if (this.i >= 0 && this.it.err() !== null) return this.finish(this.it.err());
      if (!this.openNext(Number.NEGATIVE_INFINITY)) return false;
    }
  }

  seek(t: number): boolean {
    if (this.done) return false;
    if (this.positioned && this.t >= t) return true;
    // Chunks that end before t are skipped without being read.
    if ((this.i < 0 || (this.chunks[this.i] as ChunkRef).maxt < t) && !this.openNext(t)) return false;
    while (this.next()) if (this.t >= t) return true;
    return false;
  }

  atT(): number {
    return this.t;
  }

  atV(): number {
    return this.v;
  }

  err(): Error | null {
    return this.error;
  }

  private openNext(minMaxt: number): boolean {
    for (;;) {
      this.i++;
      const c = this.chunks[this.i];
      if (c === undefined) return this.finish(null);
      if (c.maxt < minMaxt) continue;
      let bytes = c.bytes;
      if (bytes === null) {
        try {
          bytes = (this.files as HeadChunkFiles).read(c.ref).data;
        } catch (err) {
          return this.finish(err as Error);
        }
      }
      this.it.reset(bytes);
      return true;
    }
  }

  private finish(err: Error | null): boolean {
    this.error = err;
    this.done = true;
    this.positioned = false;
    return false;
  }
}
