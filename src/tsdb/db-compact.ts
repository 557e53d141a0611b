/**
 * Writing blocks: one from the head's oldest chunk range, and one from several blocks (leveled compaction).
 * Chunks are copied as they are when they can be; chunks that straddle the range, overlap another block's or
 * have deleted samples are decoded and written again in chunks of up to 120 samples.
 */
import { compareLabels, type Labels } from '../model/index.ts';
import { MergeCursor, type SampleCursor } from '../storage/index.ts';
import { type BlockMeta, type BlockReader, BlockWriter, type ChunkMeta, symbolsOf } from './block/index.ts';
import { Encoding, XorAppender } from './chunkenc/index.ts';
import type { Head } from './head/index.ts';
import { type ChunkList, ChunkListCursor } from './querier/chunks-cursor.ts';

interface SourceChunk {
  minTime: number;
  maxTime: number;
  load(): { encoding: number; data: Uint8Array };
}

interface SourceSeries {
  labels: Labels;
  /** Chunk lists (one per source block or the head), each in time order. */
  parts: SourceChunk[][];
  /** Deleted intervals of the series, per part. */
  deleted: Array<ReadonlyArray<{ mint: number; maxt: number }>>;
}

/**
 * Writes the head's samples in `[mint, maxt)` as a level-1 block in `dir`; returns its meta, or null when the
 * head has no samples there.
 */
export async function writeHeadBlock(head: Head, dir: string, mint: number, maxt: number): Promise<BlockMeta | null> {
  const series: SourceSeries[] = [];
  for (const s of head.allSeries()) {
    const chunks: SourceChunk[] = [];
    for (const c of s.mmapped) {
      if (c.maxt < mint || c.mint >= maxt) continue;
      chunks.push({ minTime: c.mint, maxTime: c.maxt, load: () => head.files.read(c.ref) });
    }
    if (s.head !== null && s.headMaxt >= mint && s.headMint < maxt) {
      const data = s.head.bytes().slice();
      chunks.push({ minTime: s.headMint, maxTime: s.headMaxt, load: () => ({ encoding: Encoding.XOR, data }) });
    }
    if (chunks.length > 0)
      series.push({ labels: s.labels, parts: [chunks], deleted: [head.tombstones.get(s.ref) ?? []] });
  }
  if (series.length === 0) return null;
  series.sort((a, b) => compareLabels(a.labels, b.labels));
  return write(dir, series, mint, maxt, { level: 1, sources: [], parents: undefined });
}

/** Writes the blocks' series as one block in `dir`, one level above the highest of them. */
export async function mergeBlocks(blocks: readonly BlockReader[], dir: string): Promise<BlockMeta> {
  const mint = Math.min(...blocks.map((b) => b.meta.minTime));
  const maxt = Math.max(...blocks.map((b) => b.meta.maxTime));
  const level = Math.max(...blocks.map((b) => b.meta.compaction.level)) + 1;
  const sources = [...new Set(blocks.flatMap((b) => b.meta.compaction.sources))].sort();
  const parents = blocks.map((b) => ({ ulid: b.meta.ulid, minTime: b.meta.minTime, maxTime: b.meta.maxTime }));
  return write(dir, mergedSeries(blocks), mint, maxt, { level, sources, parents });
}

/** The series of all blocks, in label order, with equal label sets joined. */
function mergedSeries(blocks: readonly BlockReader[]): SourceSeries[] {
  const out = new Map<string, SourceSeries>();
  for (const b of blocks) {
    const all = b.index.all();
    while (all.next()) {
      const ref = all.at();
      const s = b.index.series(ref);
      const key = s.labels.key();
      let entry = out.get(key);
      if (entry === undefined) {
        entry = { labels: s.labels, parts: [], deleted: [] };
        out.set(key, entry);
      }
      entry.parts.push(
        s.chunks.map((c: ChunkMeta) => ({ minTime: c.minTime, maxTime: c.maxTime, load: () => b.chunks.chunk(c.ref) })),
      );
      entry.deleted.push(b.tombstones.get(ref) ?? []);
    }
  }
  return [...out.values()].sort((a, b) => compareLabels(a.labels, b.labels));
}

async function write(
  dir: string,
  series: readonly SourceSeries[],
  mint: number,
  maxt: number,
  compaction: { level: number; sources: string[]; parents: BlockMeta['compaction']['parents'] },
): Promise<BlockMeta> {
  const w = await BlockWriter.create(dir);
  try {
    for (const sym of symbolsOf(series.map((s) => s.labels))) w.index.addSymbol(sym);
    let numSamples = 0;
    let numChunks = 0;
    let numSeries = 0;
    for (const s of series) {
      const chunks = chunksFor(s, mint, maxt);
      if (chunks.length === 0) continue;
      const metas: ChunkMeta[] = [];
      for (const c of chunks) {
        metas.push({ ref: w.chunks.write(c.encoding, c.data), minTime: c.minTime, maxTime: c.maxTime });
        numSamples += ((c.data[0] as number) << 8) | (c.data[1] as number);
      }
      numChunks += metas.length;
      numSeries++;
      w.index.addSeries(s.labels, metas);
    }
    return await w.commit({
      minTime: mint,
      maxTime: maxt,
      stats: { numSamples, numSeries, numChunks },
      compaction: {
        level: compaction.level,
        sources: compaction.sources.length > 0 ? compaction.sources : [w.ulid],
        ...(compaction.parents ? { parents: compaction.parents } : {}),
      },
    });
  } catch (err) {
    await w.abort();
    throw err;
  }
}

interface OutChunk {
  minTime: number;
  maxTime: number;
  encoding: number;
  data: Uint8Array;
}

/** The chunks to write for a series: copied when they fit cleanly, re-encoded otherwise. */
function chunksFor(s: SourceSeries, mint: number, maxt: number): OutChunk[] {
  const single = s.parts.length === 1 && (s.deleted[0] as readonly unknown[]).length === 0;
  const parts = s.parts.map((p) => p.filter((c) => c.maxTime >= mint && c.minTime < maxt));
  const clean = single && (parts[0] as SourceChunk[]).every((c) => c.minTime >= mint && c.maxTime < maxt);
  if (clean || (disjoint(parts) && s.deleted.every((d) => d.length === 0) && inRange(parts, mint, maxt))) {
    return parts
      .flat()
      .sort((a, b) => a.minTime - b.minTime)
      .map((c) => ({ minTime: c.minTime, maxTime: c.maxTime, ...c.load() }));
  }
  const cursors: SampleCursor[] = parts.map((p, i) =>
    new ChunkListCursor().reset(listOf(p), mint, maxt - 1, s.deleted[i] ?? []),
  );
  return encode(cursors.length === 1 ? (cursors[0] as SampleCursor) : new MergeCursor(cursors));
}

function disjoint(parts: SourceChunk[][]): boolean {
  const all = parts.flat().sort((a, b) => a.minTime - b.minTime);
  for (let i = 1; i < all.length; i++)
    if ((all[i] as SourceChunk).minTime <= (all[i - 1] as SourceChunk).maxTime) return false;
  return true;
}

function inRange(parts: SourceChunk[][], mint: number, maxt: number): boolean {
  return parts.every((p) => p.every((c) => c.minTime >= mint && c.maxTime < maxt));
}

function listOf(chunks: readonly SourceChunk[]): ChunkList {
  return {
    length: chunks.length,
    minTime: (i) => (chunks[i] as SourceChunk).minTime,
    maxTime: (i) => (chunks[i] as SourceChunk).maxTime,
    load: (i) => (chunks[i] as SourceChunk).load(),
  };
}

/** Re-encodes a cursor's samples into XOR chunks of at most 120 samples. Throws the cursor's error. */
function encode(c: SampleCursor): OutChunk[] {
  const out: OutChunk[] = [];
  let app = new XorAppender();
  let first = 0;
  let last = 0;
  const flush = () => {
    if (app.numSamples() === 0) return;
    out.push({ minTime: first, maxTime: last, encoding: Encoding.XOR, data: app.bytes().slice() });
    app = new XorAppender();
  };
  while (c.next()) {
    if (app.numSamples() === 0) first = c.atT();
    app.append(c.atT(), c.atV());
    last = c.atT();
    if (app.numSamples() === 120) flush();
  }
  const err = c.err();
  if (err !== null) throw err;
  flush();
  return out;
}
