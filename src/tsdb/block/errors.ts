/**
 * Errors of the block module. Readers report bytes they cannot trust as BlockCorruptionError (naming the file
 * and the byte offset); writers report a broken calling contract as BlockWriteError. Neither depends on the
 * message text: branch on the class and its fields.
 */

/**
 * A block file whose bytes do not follow its format: a wrong magic number or version, a checksum mismatch, a
 * section or entry running past the end of the file, a reference to a symbol that does not exist.
 */
export class BlockCorruptionError extends Error {
  readonly code = 'BLOCK_CORRUPTION';
  constructor(
    /** Path of the file. */
    readonly file: string,
    /** Byte offset in the file of the field or section that failed (its start, for a checksum). */
    readonly offset: number,
    /** What is wrong, such as `'checksum mismatch in series'`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`corrupt block file ${file} at byte ${offset}: ${reason}`, options);
    this.name = 'BlockCorruptionError';
  }
}

/** Which writer contract a BlockWriteError reports. */
export type BlockWriteRule =
  /** Symbols must be added in strictly increasing UTF-8 byte order, each once. */
  | 'symbol-order'
  /** Series must be added in strictly increasing label order (compareLabels). */
  | 'series-order'
  /** A series' label name or value was not added as a symbol. */
  | 'unknown-symbol'
  /** Chunks of a series must have increasing, non-overlapping time ranges and non-decreasing refs. */
  | 'chunk-order'
  /** A call after the writer moved past its stage (symbols after series), or after close. */
  | 'stage'
  /** A number does not fit the format: an offset past 2^32 where 4 bytes hold it, a time past ±2^52. */
  | 'out-of-range';

/** A writer was called against its contract; nothing was written for the refused call. */
export class BlockWriteError extends Error {
  readonly code = 'BLOCK_WRITE_CONTRACT';
  constructor(
    /** The file being written. */
    readonly file: string,
    readonly rule: BlockWriteRule,
    detail: string,
  ) {
    super(`write ${file}: ${detail}`);
    this.name = 'BlockWriteError';
  }
}

/** meta.json that cannot be read as a block's metadata: not JSON, a wrong version, a missing or wrong field. */
export class BlockMetaError extends Error {
  readonly code = 'BLOCK_META_INVALID';
  constructor(
    /** Path of the meta.json file. */
    readonly file: string,
    /** The field at fault (`'version'`, `'stats.numSeries'`), or `''` when the file is not a JSON object. */
    readonly field: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid block meta ${file}${field === '' ? '' : ` field ${field}`}: ${reason}`, options);
    this.name = 'BlockMetaError';
  }
}
