/** Typed errors of the alerting module. */

/** A silence id that does not exist (Alertmanager's `silence not found`). */
export class SilenceNotFoundError extends Error {
  readonly code = 'SILENCE_NOT_FOUND';
  constructor(readonly id: string) {
    super('silence not found');
    this.name = 'SilenceNotFoundError';
  }
}

/** A silence that fails validation; the message is Alertmanager's, prefixed with `silence invalid: `. */
export class SilenceValidationError extends Error {
  readonly code = 'SILENCE_INVALID';
  constructor(readonly reason: string) {
    super(`silence invalid: ${reason}`);
    this.name = 'SilenceValidationError';
  }
}
