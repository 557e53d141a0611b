export type { BlockReader } from './block-reader.ts';
export { openBlock } from './block-reader.ts';
export type { BlockWriterOptions } from './block-writer.ts';
export { BlockWriter, TMP_FOR_CREATION_SUFFIX } from './block-writer.ts';
export {
  CHUNKS_DIRNAME,
  CHUNKS_MAGIC,
  CHUNKS_VERSION,
  chunkRef,
  DEFAULT_SEGMENT_BYTES,
  refOffset,
  refSegment,
  SEGMENT_HEADER_BYTES,
  segmentName,
} from './chunks-format.ts';
export type { ChunkReaderOptions } from './chunks-reader.ts';
export { ChunkReader } from './chunks-reader.ts';
export type { ChunkWriterOptions } from './chunks-writer.ts';
export { ChunkWriter } from './chunks-writer.ts';
export type { BlockWriteRule } from './errors.ts';
export { BlockCorruptionError, BlockMetaError, BlockWriteError } from './errors.ts';
export { INDEX_FILENAME, INDEX_MAGIC, INDEX_VERSION } from './index-format.ts';
export { IndexReader } from './index-reader.ts';
export { IndexWriter } from './index-writer.ts';
export type { BlockDesc, BlockMeta, BlockMetaCompaction, BlockStats } from './meta.ts';
export { decodeMeta, encodeMeta, META_FILENAME, META_VERSION, readMeta, writeMeta } from './meta.ts';
export type { Interval, Tombstones } from './tombstones.ts';
export {
  addInterval,
  decodeTombstones,
  encodeTombstones,
  readTombstones,
  TOMBSTONES_FILENAME,
  writeTombstones,
} from './tombstones.ts';
export type { ChunkBytes, ChunkMeta, IndexSeries } from './types.ts';
export { formatUlid, isUlid, UlidGenerator, ulidTime } from './ulid.ts';
export type { BlockChunkInput, BlockSeriesInput, WriteBlockOptions } from './write-block.ts';
export { symbolsOf, writeBlock } from './write-block.ts';
