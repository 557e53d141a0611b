/**
 * A sample cursor over a series' chunks (head or block), in time order, restricted to `[mint, maxt]` and
 * skipping deleted intervals. Chunks are loaded only when the cursor reaches them, so a seek past whole
 * chunks never reads them. Reusable with `reset`, keeping one chunk decoder.
 */
import type { Labels } from '../../model/index.ts';
import type { SampleBuffer, SampleCursor } from '../../storage/index.ts';
import { Encoding, ValueType, XorIterator } from '../chunkenc/index.ts';

/** The chunks of one series, oldest first. Times are Unix ms, inclusive. */
export interface ChunkList {
  readonly length: number;
  minTime(i: number): number;
  maxTime(i: number): number;
  /** The chunk's encoding and bytes. May throw a typed error for a damaged chunk; the cursor reports it. */
  load(i: number): { encoding: number; data: Uint8Array };
}

/** A deleted range of a series, Unix ms, inclusive. */
export interface DeletedInterval {
  readonly mint: number;
  readonly maxt: number;
}

const noIntervals: readonly DeletedInterval[] = [];

/** A series backed by a chunk list; lets the database join a series' parts from several blocks cheaply. */
export interface ChunkedSeries {
  readonly labels: Labels;
  /** The chunks in the queried range and the deleted intervals that apply to them. */
  chunkView(): { list: ChunkList; deleted: readonly DeletedInterval[]; mint: number; maxt: number };
}

export function isChunkedSeries(s: object): s is ChunkedSeries {
  return typeof (s as Partial<ChunkedSeries>).chunkView === 'function';
}

/** Chunk lists one after the other, as one list (for parts whose time ranges do not overlap). */
export class JoinedChunkList implements ChunkList {
  private readonly owner: number[] = [];
  private readonly index: number[] = [];

  constructor(private readonly lists: readonly ChunkList[]) {
    lists.forEach((l, i) => {
      for (let k = 0; k < l.length; k++) {
        this.owner.push(i);
        this.index.push(k);
      }
    });
  }

  get length(): number {
    return this.owner.length;
  }

  minTime(i: number): number {
    return (this.lists[this.owner[i] as number] as ChunkList).minTime(this.index[i] as number);
  }

  maxTime(i: number): number {
    return (this.lists[this.owner[i] as number] as ChunkList).maxTime(this.index[i] as number);
  }

  load(i: number): { encoding: number; data: Uint8Array } {
    return (this.lists[this.owner[i] as number] as ChunkList).load(this.index[i] as number);
  }
}

/** A series read from a chunk list (head or block), restricted to `[mint, maxt]` minus deleted intervals. */
export class ChunkListSeries implements ChunkedSeries {
  constructor(
    readonly labels: Labels,
    private readonly list: ChunkList,
    private readonly mint: number,
    private readonly maxt: number,
    private readonly deleted: readonly DeletedInterval[] = noIntervals,
  ) {}

  cursor(reuse?: SampleCursor): SampleCursor {
    const c = reuse instanceof ChunkListCursor ? reuse : new ChunkListCursor();
    return c.reset(this.list, this.mint, this.maxt, this.deleted);
  }

  chunkView() {
    return { list: this.list, deleted: this.deleted, mint: this.mint, maxt: this.maxt };
  }
}

export class ChunkListCursor implements SampleCursor {
  private chunks: ChunkList | null = null;
  private deleted: readonly DeletedInterval[] = noIntervals;
  private mint = 0;
  private maxt = 0;
  private i = -1;
  private readonly it = new XorIterator();
  private t = 0;
  private v = 0;
  private error: Error | null = null;
  private done = false;
  private positioned = false;

  reset(chunks: ChunkList, mint: number, maxt: number, deleted: readonly DeletedInterval[] = noIntervals): this {
    this.chunks = chunks;
    this.mint = mint;
    this.maxt = maxt;
    this.deleted = deleted;
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
        if (t < this.mint || (this.deleted.length > 0 && isDeleted(this.deleted, t))) continue;
        this.t = t;
        this.v = this.it.at();
        this.positioned = true;
        return true;
      }
      if (this.i >= 0 && this.it.err() !== null) return this.finish(this.it.err());
      if (!this.open(Number.NEGATIVE_INFINITY)) return false;
    }
  }

  seek(t: number): boolean {
    if (this.done) return false;
    if (this.positioned && this.t >= t) return true;
    const chunks = this.chunks as ChunkList;
    if ((this.i < 0 || chunks.maxTime(this.i) < t) && !this.open(t)) return false;
    while (this.next()) if (this.t >= t) return true;
    return false;
  }

  /** Appends this sample and the following ones up to `maxt` to `buf` in one loop (see SampleCursor). */
  readInto(buf: SampleBuffer, maxt: number): void {
    if (this.done || !this.positioned || this.t > maxt) return;
    buf.push(this.t, this.v);
    const it = this.it;
    const limit = Math.min(maxt, this.maxt);
    const mint = this.mint;
    const deleted = this.deleted;
    const hasDeleted = deleted.length > 0;
    let ts = buf.ts;
    let words = buf.vsWords;
    let cap = ts.length;
    let n = buf.n;
    for (;;) {
      while (it.next() !== ValueType.None) {
        const t = it.atT();
        if (t > limit) {
          buf.n = n;
          if (t > this.maxt) {
            this.finish(null);
            return;
          }
          this.t = t;
          this.v = it.at();
          return;
        }
        if (t < mint || (hasDeleted && isDeleted(deleted, t))) continue;
        if (n === cap) {
          buf.n = n;
          buf.reserve(1);
          ts = buf.ts;
          words = buf.vsWords;
          cap = ts.length;
        }
        ts[n] = t;
        it.writeValue(words, n);
        n++;
      }
      buf.n = n;
      if (it.err() !== null) {
        this.finish(it.err());
        return;
      }
      if (!this.open(Number.NEGATIVE_INFINITY)) return;
    }
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

  /** Moves to the next chunk that ends at or after `minMaxt` and loads it. */
  private open(minMaxt: number): boolean {
    const chunks = this.chunks as ChunkList;
    for (;;) {
      this.i++;
      if (this.i >= chunks.length) return this.finish(null);
      if (chunks.maxTime(this.i) < minMaxt || chunks.maxTime(this.i) < this.mint) continue;
      if (chunks.minTime(this.i) > this.maxt) return this.finish(null);
      let loaded: { encoding: number; data: Uint8Array };
      try {
        loaded = chunks.load(this.i);
      } catch (err) {
        return this.finish(err instanceof Error ? err : new Error(String(err)));
      }
      if (loaded.encoding !== Encoding.XOR) {
        return this.finish(new Error(`chunk encoding ${loaded.encoding} is not supported (only XOR float chunks)`));
      }
      this.it.reset(loaded.data);
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

function isDeleted(intervals: readonly DeletedInterval[], t: number): boolean {
  for (const iv of intervals) {
    if (t < iv.mint) return false;
    if (t <= iv.maxt) return true;
  }
  return false;
}
