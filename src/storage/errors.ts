/** Errors an Appender reports for samples it refuses; scrape counts them by class. */

/** A sample older than the newest one of its series (beyond the out-of-order window, when there is one). */
export class OutOfOrderSampleError extends Error {
  readonly code = 'STORAGE_OUT_OF_ORDER';
  constructor(
    readonly t: number,
    readonly newestT: number,
  ) {
    super(`out of order sample: ${t} is before the newest sample of the series at ${newestT}`);
    this.name = 'OutOfOrderSampleError';
  }
}

/** A sample at the timestamp of an existing one, with a different value. */
export class DuplicateSampleError extends Error {
  readonly code = 'STORAGE_DUPLICATE_SAMPLE';
  constructor(readonly t: number) {
    super(`duplicate sample for timestamp ${t} with a different value`);
    this.name = 'DuplicateSampleError';
  }
}

/** A sample outside the time range the storage accepts (older than the head's lower bound). */
export class OutOfBoundsError extends Error {
  readonly code = 'STORAGE_OUT_OF_BOUNDS';
  constructor(
    readonly t: number,
    readonly minValidT: number,
  ) {
    super(`out of bounds: sample at ${t} is older than ${minValidT}`);
    this.name = 'OutOfBoundsError';
  }
}

/** A label set that cannot name a series: empty, or with a repeated or invalid label name. */
export class InvalidLabelsError extends Error {
  readonly code = 'STORAGE_INVALID_LABELS';
  constructor(
    readonly labels: string,
    reason: string,
  ) {
    super(`invalid series ${labels}: ${reason}`);
    this.name = 'InvalidLabelsError';
  }
}
