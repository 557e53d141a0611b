/** Errors of the model module. */

/** A label matcher that cannot be built, such as one with a regular expression that does not compile. */
export class MatcherError extends Error {
  readonly code = 'MATCHER_INVALID';
  constructor(
    readonly labelName: string,
    readonly pattern: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MatcherError';
  }
}
