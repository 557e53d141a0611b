/** Constants of a block's chunk segment files, as docs/format/chunks.md draws them, and chunk refs. */

/** Directory of the segment files in a block directory. */
export const CHUNKS_DIRNAME = 'chunks';
/** First 4 bytes of a segment file, big-endian. */
export const CHUNKS_MAGIC = 0x85bd40dd;
export const CHUNKS_VERSION = 1;
/** Magic, version byte and 3 zero bytes of padding. */
export const SEGMENT_HEADER_BYTES = 8;
/** Prometheus' segment size: a new segment starts before a chunk would take one past it. */
export const DEFAULT_SEGMENT_BYTES = 512 * 1024 * 1024;
/** Most bytes a chunk's length uvarint takes (its length is below 2^32). */
export const MAX_CHUNK_LENGTH_BYTES = 5;
/** The encoding byte and the CRC32C around a chunk's data. */
export const CHUNK_ENCODING_BYTES = 1;
export const CHUNK_CRC_BYTES = 4;

const TWO_32 = 2 ** 32;

/** A segment file's name for its index: 0 → `000001`. */
export function segmentName(index: number): string {
  return String(index + 1).padStart(6, '0');
}

/** The ref of the chunk at byte `offset` of segment `segment` (0-based): segment × 2^32 + offset. */
export function chunkRef(segment: number, offset: number): number {
  return segment * TWO_32 + offset;
}

/** The segment index of a chunk ref. */
export function refSegment(ref: number): number {
  return Math.floor(ref / TWO_32);
}

/** The byte offset within its segment of a chunk ref. */
export function refOffset(ref: number): number {
  return ref % TWO_32;
}
