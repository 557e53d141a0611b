/**
 * Building a block from samples in hand (backfill): samples for one time range are collected per series in
 * typed arrays, checked for order as an appender would, then written as a level-1 block with chunks of up to
 * 120 samples.
 */
import { compareLabels, type Labels } from '../model/index.ts';
import { DuplicateSampleError, OutOfBoundsError, OutOfOrderSampleError } from '../storage/index.ts';
import { type BlockMeta, type BlockSeriesInput, writeBlock } from './block/index.ts';
import { Encoding, XorAppender } from './chunkenc/index.ts';

interface Pending {
  labels: Labels;
  ts: Float64Array;
  vs: Float64Array;
  n: number;
}

export class BlockBuilder {
  private readonly series = new Map<string, Pending>();
  private samples = 0;

  /** Collects samples with timestamps in `[mint, maxt)` (Unix ms). */
  constructor(
    readonly mint: number,
    readonly maxt: number,
  ) {}

  get numSamples(): number {
    return this.samples;
  }

  get numSeries(): number {
    return this.series.size;
  }

  /**
   * Adds a sample. `key` identifies the series (its labels' key, or any string equal for equal series). Throws
   * OutOfBoundsError outside the range, OutOfOrderSampleError / DuplicateSampleError like an appender.
   */
  add(key: string, labels: () => Labels, t: number, v: number): void {
    if (t < this.mint || t >= this.maxt) throw new OutOfBoundsError(t, this.mint);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels: labels(), ts: new Float64Array(32), vs: new Float64Array(32), n: 0 };
      this.series.set(key, s);
    }
    if (s.n > 0) {
      const last = s.ts[s.n - 1] as number;
      if (t < last) throw new OutOfOrderSampleError(t, last);
      if (t === last) {
        if (Object.is(s.vs[s.n - 1], v)) return;
        throw new DuplicateSampleError(t);
      }
    }
    if (s.n === s.ts.length) {
      const ts = new Float64Array(s.n * 2);
      const vs = new Float64Array(s.n * 2);
      ts.set(s.ts);
      vs.set(s.vs);
      s.ts = ts;
      s.vs = vs;
    }
    s.ts[s.n] = t;
    s.vs[s.n] = v;
    s.n++;
    this.samples++;
  }

  /** Writes the block into `dir` (a TSDB directory) and returns its meta, or null when there are no samples. */
  async write(dir: string): Promise<BlockMeta | null> {
    if (this.samples === 0) return null;
    const series: BlockSeriesInput[] = [];
    for (const s of this.series.values()) series.push({ labels: s.labels, chunks: encode(s) });
    series.sort((a, b) => compareLabels(a.labels, b.labels));
    return writeBlock(dir, series, { minTime: this.mint, maxTime: this.maxt });
  }
}

function encode(s: Pending): BlockSeriesInput['chunks'] {
  const out: Array<BlockSeriesInput['chunks'][number]> = [];
  for (let from = 0; from < s.n; from += 120) {
    const to = Math.min(s.n, from + 120);
    const app = new XorAppender();
    for (let i = from; i < to; i++) app.append(s.ts[i] as number, s.vs[i] as number);
    out.push({
      minTime: s.ts[from] as number,
      maxTime: s.ts[to - 1] as number,
      encoding: Encoding.XOR,
      data: app.bytes().slice(),
    });
  }
  return out;
}
