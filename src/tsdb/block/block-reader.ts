/**
 * Opening a block directory for reading: meta.json, the index, the chunk segments and the tombstones, all read
 * into memory except the chunks, read on demand (see IndexReader and ChunkReader). `close()` releases them.
 */
import { join } from 'node:path';
import { CHUNKS_DIRNAME } from './chunks-format.ts';
import { ChunkReader, type ChunkReaderOptions } from './chunks-reader.ts';
import { INDEX_FILENAME } from './index-format.ts';
import { IndexReader } from './index-reader.ts';
import { type BlockMeta, readMeta } from './meta.ts';
import { type Interval, readTombstones } from './tombstones.ts';

/** A block read from disk. Immutable; safe for concurrent reads. */
export interface BlockReader {
  dir: string;
  meta: BlockMeta;
  index: IndexReader;
  chunks: ChunkReader;
  /** Deleted ranges by series ref. */
  tombstones: ReadonlyMap<number, readonly Interval[]>;
  /** Releases the chunk files. Idempotent; reads must not follow. */
  close(): void;
}

/**
 * Reads the block in `dir`. Throws BlockMetaError or BlockCorruptionError for files that are not a valid
 * block, or the fs error for files that cannot be read.
 */
export async function openBlock(dir: string, options: ChunkReaderOptions = {}): Promise<BlockReader> {
  const meta = await readMeta(dir);
  const chunks = await ChunkReader.open(join(dir, CHUNKS_DIRNAME), options);
  const index = await IndexReader.open(join(dir, INDEX_FILENAME));
  const tombstones = await readTombstones(dir);
  return { dir, meta, index, chunks, tombstones, close: () => chunks.close() };
}
