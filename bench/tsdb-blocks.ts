// Block helpers of the tsdb benchmark: sizes on disk, a full read through cursors, and a sample-by-sample
// comparison of two sets of blocks (vigil's and promtool's) for the same data.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compareLabels, Matcher } from '../src/model/index.ts';
import type { Querier, SampleCursor, SeriesSet } from '../src/storage/index.ts';
import { type BlockMeta, openBlock } from '../src/tsdb/block/index.ts';
import { BlockQuerier } from '../src/tsdb/querier/block-querier.ts';

export const allSeries = [Matcher.create('=~', '__name__', '.+')];

/** Bytes of the files under `path`. */
export function dirSize(path: string): number {
  let n = 0;
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    n += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return n;
}

export interface BlockSize {
  minTime: number;
  maxTime: number;
  series: number;
  samples: number;
  chunks: number;
  /** The whole block directory: chunks, index, meta.json, tombstones. */
  bytes: number;
  chunkBytes: number;
  indexBytes: number;
  bytesPerSample: number;
}

/** Sizes of the block in `dir` with its meta. */
export function blockSize(dir: string, meta: BlockMeta): BlockSize {
  const bytes = dirSize(dir);
  return {
    minTime: meta.minTime,
    maxTime: meta.maxTime,
    series: meta.stats.numSeries,
    samples: meta.stats.numSamples,
    chunks: meta.stats.numChunks,
    bytes,
    chunkBytes: dirSize(join(dir, 'chunks')),
    indexBytes: statSync(join(dir, 'index')).size,
    bytesPerSample: round(bytes / meta.stats.numSamples, 4),
  };
}

/** Totals over blocks. */
export function totals(blocks: readonly BlockSize[]): { samples: number; bytes: number; bytesPerSample: number } {
  const samples = blocks.reduce((n, b) => n + b.samples, 0);
  const bytes = blocks.reduce((n, b) => n + b.bytes, 0);
  return { samples, bytes, bytesPerSample: round(bytes / samples, 4) };
}

/**
 * Reads every series of `querier` in full, summing timestamps and values through one reused cursor, as an
 * engine would. Returns the samples read, the time `select()` took and the total time, in ms.
 */
export function readAll(querier: Querier): { samples: number; selectMs: number; totalMs: number; sum: number } {
  const start = performance.now();
  const set = querier.select(false, undefined, allSeries);
  const selected = performance.now();
  let samples = 0;
  let sum = 0;
  let c: SampleCursor | undefined;
  while (set.next()) {
    c = set.at().cursor(c);
    while (c.next()) {
      sum += c.atT() + c.atV();
      samples++;
    }
    if (c.err() !== null) throw c.err();
  }
  if (set.err() !== null) throw set.err();
  const end = performance.now();
  return { samples, selectMs: selected - start, totalMs: end - start, sum };
}

export interface Comparison {
  samplesCompared: number;
  /** Series or samples that differ (labels, timestamps, or value bits); 0 means the same data. */
  differences: number;
  /** Blocks whose chunk segment files and index are byte for byte the same. */
  identicalBlocks: number;
}

/** Compares the blocks in `a` and `b` pairwise (sorted by minTime) sample by sample, and their files. */
export async function compareBlocks(a: readonly string[], b: readonly string[]): Promise<Comparison> {
  const out: Comparison = { samplesCompared: 0, differences: Math.abs(a.length - b.length), identicalBlocks: 0 };
  const ra = await Promise.all(a.map((d) => openBlock(d)));
  const rb = await Promise.all(b.map((d) => openBlock(d)));
  ra.sort((x, y) => x.meta.minTime - y.meta.minTime);
  rb.sort((x, y) => x.meta.minTime - y.meta.minTime);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] as (typeof ra)[number];
    const y = rb[i] as (typeof rb)[number];
    const all = (r: typeof x) =>
      new BlockQuerier(r, r.meta.minTime, r.meta.maxTime - 1).select(true, undefined, allSeries);
    compareSets(all(x), all(y), out);
    if (sameFiles(x.dir, y.dir)) out.identicalBlocks++;
  }
  for (const r of [...ra, ...rb]) r.close();
  return out;
}

function compareSets(a: SeriesSet, b: SeriesSet, out: Comparison): void {
  let ca: SampleCursor | undefined;
  let cb: SampleCursor | undefined;
  let moreA = a.next();
  let moreB = b.next();
  while (moreA && moreB) {
    const c = compareLabels(a.at().labels, b.at().labels);
    if (c !== 0) {
      out.differences++;
      if (c < 0) moreA = a.next();
      else moreB = b.next();
      continue;
    }
    ca = a.at().cursor(ca);
    cb = b.at().cursor(cb);
    for (;;) {
      const na = ca.next();
      const nb = cb.next();
      if (!na || !nb) {
        if (na !== nb) out.differences++;
        break;
      }
      out.samplesCompared++;
      if (ca.atT() !== cb.atT() || !Object.is(ca.atV(), cb.atV())) out.differences++;
    }
    moreA = a.next();
    moreB = b.next();
  }
  if (moreA || moreB) out.differences++;
}

function sameFiles(a: string, b: string): boolean {
  const files = ['index', ...readdirSync(join(a, 'chunks')).map((f) => join('chunks', f))];
  return files.every((f) => {
    try {
      return readFileSync(join(a, f)).equals(readFileSync(join(b, f)));
    } catch {
      return false;
    }
  });
}

export function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
