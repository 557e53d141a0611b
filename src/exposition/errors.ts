/** Errors of the exposition module. Callers branch on the class or `code`, never on the message. */

/**
 * A body the parser refuses. `line` and `col` are 1-based; `col` counts Unicode code points from the start of the
 * line. `offset` is the byte offset of the offending byte in the body. The message is
 * `line L, col C: REASON`, and `reason` alone is kept for callers that print their own position.
 */
export class ExpositionParseError extends Error {
  readonly code = 'EXPOSITION_PARSE';
  constructor(
    readonly line: number,
    readonly col: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`line ${line}, col ${col}: ${reason}`);
    this.name = 'ExpositionParseError';
  }
}

/**
 * A family a writer cannot write in its format: an invalid metric or label name, a sample that does not belong to
 * its family, an exemplar where the format allows none, a timestamp the format cannot carry. `family` names the
 * family and `sample` the sample's index in it (-1 for the family itself).
 */
export class ExpositionWriteError extends Error {
  readonly code = 'EXPOSITION_WRITE';
  constructor(
    readonly family: string,
    readonly sample: number,
    readonly reason: string,
  ) {
    super(
      sample < 0
        ? `writing family ${JSON.stringify(family)}: ${reason}`
        : `writing family ${JSON.stringify(family)}, sample ${sample}: ${reason}`,
    );
    this.name = 'ExpositionWriteError';
  }
}
