/** Errors of the write-ahead log. Callers branch on the class or `code`, never on the message. */

/**
 * The log's bytes are not a valid sequence of fragments and records at `offset` of segment `segment` in `dir`:
 * a checksum mismatch, a torn or misplaced fragment, bad padding, undecodable compression. `offset` is where
 * the first bad fragment (or the torn record) starts. `Wal.open()` repairs this in the last segment; anywhere
 * else it reaches the caller, who decides (Prometheus drops everything after it).
 */
export class WalCorruptionError extends Error {
  readonly code = 'WAL_CORRUPTION';
  constructor(
    readonly dir: string,
    readonly segment: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`WAL corruption in segment ${segment} of ${dir} at byte ${offset}: ${reason}`);
    this.name = 'WalCorruptionError';
  }
}

/** A well-formed record uses a feature vigil does not read (zstd compression, Prometheus 2.49+). Never repaired. */
export class WalUnsupportedError extends Error {
  readonly code = 'WAL_UNSUPPORTED';
  constructor(
    readonly dir: string,
    readonly segment: number,
    readonly offset: number,
    readonly feature: string,
  ) {
    super(`WAL segment ${segment} of ${dir} at byte ${offset} uses ${feature}, which vigil cannot read`);
    this.name = 'WalUnsupportedError';
  }
}

/** The directory's segment files are not a contiguous run of indexes (`missing` is the first absent one). */
export class WalSegmentGapError extends Error {
  readonly code = 'WAL_SEGMENT_GAP';
  constructor(
    readonly dir: string,
    readonly missing: number,
  ) {
    super(`WAL directory ${dir}: segment ${missing} is missing between its neighbours`);
    this.name = 'WalSegmentGapError';
  }
}

/** A file-system call failed; `step` names what the log was doing. */
export class WalIoError extends Error {
  readonly code = 'WAL_IO';
  constructor(
    readonly path: string,
    readonly step: string,
    options: { cause: unknown },
  ) {
    super(
      `WAL ${step} ${path}: ${options.cause instanceof Error ? options.cause.message : String(options.cause)}`,
      options,
    );
    this.name = 'WalIoError';
  }
}

/**
 * The log cannot take writes: it was closed, or an earlier write failed part-way (then `cause` is that
 * failure, and the log must be closed and opened again, which repairs the torn tail).
 */
export class WalClosedError extends Error {
  readonly code = 'WAL_CLOSED';
  constructor(
    readonly dir: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      options.cause === undefined
        ? `WAL ${dir} is closed`
        : `WAL ${dir} stopped after a failed write; close and reopen it: ${(options.cause as Error).message}`,
      options,
    );
    this.name = 'WalClosedError';
  }
}

/** An option has a value the log cannot use. */
export class WalOptionsError extends Error {
  readonly code = 'WAL_OPTIONS';
  constructor(
    readonly field: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`WAL option ${field}: ${JSON.stringify(value)} is invalid; expected ${expected}`);
    this.name = 'WalOptionsError';
  }
}
