/** Errors of the chunk encoding package. Decoders report them through `err()`; only appenders throw. */

/**
 * A chunk ends before the samples its header counts: `sample` (0-based) could not be read in full. Found while
 * decoding; reported by an iterator's `err()`, thrown by `XorAppender.open`.
 */
export class ChunkTruncatedError extends Error {
  readonly code = 'CHUNK_TRUNCATED';
  constructor(
    /** Index of the sample that could not be read. */
    readonly sample: number,
    /** Bit offset from the start of the chunk's data (its sample-count header) where that sample starts. */
    readonly bitOffset: number,
    /** Length of the chunk data in bytes. */
    readonly byteLength: number,
  ) {
    super(`decode XOR chunk: data ends inside sample ${sample} (starting at bit ${bitOffset} of ${byteLength} bytes)`);
    this.name = 'ChunkTruncatedError';
  }
}

/**
 * A chunk holds bits no Prometheus writer produces: a varint longer than 64 bits, a value window wider than 64
 * bits, or a timestamp outside ±`MAX_ABS_TIMESTAMP_MS`. Reported by `err()`, thrown by `XorAppender.open`.
 */
export class ChunkCorruptionError extends Error {
  readonly code = 'CHUNK_CORRUPTION';
  constructor(
    /** Index of the sample being decoded. */
    readonly sample: number,
    /** Bit offset from the start of the chunk's data where that sample starts. */
    readonly bitOffset: number,
    /** What is wrong, such as `'varint overflows 64 bits'`. */
    readonly reason: string,
  ) {
    super(`decode XOR chunk: sample ${sample} at bit ${bitOffset}: ${reason}`);
    this.name = 'ChunkCorruptionError';
  }
}

/** `append` was given a timestamp that is not an integer within ±`MAX_ABS_TIMESTAMP_MS`. Nothing was written. */
export class ChunkTimestampRangeError extends Error {
  readonly code = 'CHUNK_TIMESTAMP_RANGE';
  constructor(readonly timestampMs: number) {
    super(`append to XOR chunk: timestamp ${timestampMs} is not an integer within ±2^51 ms`);
    this.name = 'ChunkTimestampRangeError';
  }
}

/** `append` on a chunk that already holds 65535 samples, the most its uint16 header can count. */
export class ChunkFullError extends Error {
  readonly code = 'CHUNK_FULL';
  constructor(readonly samples: number) {
    super(`append to XOR chunk: it already holds ${samples} samples, the most a chunk header can count`);
    this.name = 'ChunkFullError';
  }
}
