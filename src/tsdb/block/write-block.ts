/** Writing a whole block from series already in memory: the simple path for imports, tests and small blocks. */
import { compareStrings, type Labels } from '../../model/index.ts';
import { BlockWriter, type BlockWriterOptions } from './block-writer.ts';
import type { BlockMeta, BlockMetaCompaction } from './meta.ts';
import type { ChunkMeta } from './types.ts';

/** A chunk to write: its time range (Unix ms, inclusive), encoding byte and encoded data. */
export interface BlockChunkInput {
  minTime: number;
  maxTime: number;
  encoding: number;
  data: Uint8Array;
}

/** A series to write, with its chunks in time order. */
export interface BlockSeriesInput {
  labels: Labels;
  chunks: readonly BlockChunkInput[];
}

export interface WriteBlockOptions extends BlockWriterOptions {
  /** Start of the block's range, Unix ms, inclusive. @default the earliest chunk's minTime */
  minTime?: number;
  /** End of the block's range, Unix ms, exclusive. @default the latest chunk's maxTime + 1 */
  maxTime?: number;
  /** @default level 1, the block's own ULID as the only source */
  compaction?: BlockMetaCompaction;
}

/**
 * The symbol table of an index over these label sets: every label name and value plus the empty string, as
 * Prometheus writes it, in UTF-8 byte order.
 */
export function symbolsOf(sets: Iterable<Labels>): string[] {
  const symbols = new Set<string>(['']);
  for (const l of sets) {
    l.forEach((n, v) => {
      symbols.add(n);
      symbols.add(v);
    });
  }
  return [...symbols].sort(compareStrings);
}

/**
 * Writes `series` (sorted by compareLabels, as the index requires; BlockWriteError otherwise) as a new block in
 * `parentDir` and returns its meta. The symbol table holds every label name and value plus the empty string,
 * as Prometheus' does. `numSamples` adds up the 16-bit sample count that starts every XOR and histogram chunk.
 * On failure the temporary directory is removed and nothing is left under the block's name.
 */
export async function writeBlock(
  parentDir: string,
  series: readonly BlockSeriesInput[],
  options: WriteBlockOptions = {},
): Promise<BlockMeta> {
  const w = await BlockWriter.create(parentDir, options);
  try {
    for (const sym of symbolsOf(series.map((s) => s.labels))) w.index.addSymbol(sym);

    let numChunks = 0;
    let numSamples = 0;
    let minTime = Number.POSITIVE_INFINITY;
    let maxTime = Number.NEGATIVE_INFINITY;
    for (const s of series) {
      const metas: ChunkMeta[] = s.chunks.map((c) => {
        numSamples += c.data.length >= 2 ? ((c.data[0] as number) << 8) | (c.data[1] as number) : 0;
        minTime = Math.min(minTime, c.minTime);
        maxTime = Math.max(maxTime, c.maxTime);
        return { ref: w.chunks.write(c.encoding, c.data), minTime: c.minTime, maxTime: c.maxTime };
      });
      numChunks += metas.length;
      w.index.addSeries(s.labels, metas);
    }
    return await w.commit({
      minTime: options.minTime ?? (numChunks > 0 ? minTime : 0),
      maxTime: options.maxTime ?? (numChunks > 0 ? maxTime + 1 : 0),
      stats: { numSamples, numSeries: series.length, numChunks },
      compaction: options.compaction ?? { level: 1, sources: [w.ulid] },
    });
  } catch (err) {
    await w.abort();
    throw err;
  }
}
