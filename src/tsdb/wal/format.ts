/**
 * The on-disk layout of the write-ahead log, shared with Prometheus 2.42 (`tsdb/wlog`). Byte diagrams:
 * docs/format/wal.md. Every constant here appears there.
 */

/** Segments are written in pages of this size; a fragment never crosses a page boundary. */
export const PAGE_SIZE_BYTES = 32 * 1024;

/** Fragment header: type byte, big-endian uint16 data length, big-endian CRC32-Castagnoli of the data. */
export const FRAGMENT_HEADER_SIZE_BYTES = 7;

/** The most data one fragment carries: a page minus its header. */
export const MAX_FRAGMENT_DATA_BYTES = PAGE_SIZE_BYTES - FRAGMENT_HEADER_SIZE_BYTES;

/** Prometheus' default segment size, 128 MiB. */
export const DEFAULT_SEGMENT_SIZE_BYTES = 128 * 1024 * 1024;

/** Segment file names are the segment index, zero-padded to this many digits (`00000042`). */
export const SEGMENT_NAME_DIGITS = 8;

/** Fragment types, the low three bits of the header's type byte. */
export const FragmentType = {
  /** A zero byte: the rest of the page is zero padding. */
  PageTerm: 0,
  /** A whole record in one fragment. */
  Full: 1,
  /** The first fragment of a record that continues in the next ones. */
  First: 2,
  /** A fragment between a First and a Last. */
  Middle: 3,
  /** The final fragment of a record. */
  Last: 4,
} as const;

/** Mask of the fragment type in the header's type byte. */
export const FRAGMENT_TYPE_MASK = 0x07;

/** Header flag: the record (all of its fragments, concatenated) is a snappy block. */
export const SNAPPY_FLAG = 0x08;

/** Header flag: the record is zstd-compressed (Prometheus 2.49+). vigil refuses to read it. */
export const ZSTD_FLAG = 0x10;

/** Header bits no Prometheus version sets: a byte with any of them is corrupt. */
export const UNKNOWN_FLAGS_MASK = 0xe0;

/** Checkpoint directories are named `checkpoint.` followed by the last segment index they cover, 8 digits. */
export const CHECKPOINT_PREFIX = 'checkpoint.';

/** Suffix of a checkpoint directory still being written; such directories are deleted, never read. */
export const CHECKPOINT_TEMP_SUFFIX = '.tmp';
