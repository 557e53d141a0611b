/** Shapes shared by the block readers and writers. */
import type { Labels } from '../../model/index.ts';

/**
 * Where a chunk is and which samples it holds, as the index records it. `ref` is the chunk's position in the
 * block's segment files: segment index (0 for `000001`) × 2^32 + byte offset in the segment. Times are Unix
 * milliseconds of the chunk's first and last sample, both inclusive.
 */
export interface ChunkMeta {
  ref: number;
  minTime: number;
  maxTime: number;
}

/** A series as an index holds it: labels, and its chunks in time order. */
export interface IndexSeries {
  labels: Labels;
  chunks: ChunkMeta[];
}

/** A chunk's encoding byte (see `Encoding` in chunkenc) and its data, as stored in a segment file. */
export interface ChunkBytes {
  encoding: number;
  data: Uint8Array;
}
