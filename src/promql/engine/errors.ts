/**
 * Errors of the PromQL engine, each with the `errorType` Prometheus' HTTP API reports for it. Messages are
 * upstream's, since users and tests match on them.
 */

/** A query that failed while running: vector matching, bad function arguments, storage failures. */
export class QueryExecutionError extends Error {
  readonly code: string = 'PROMQL_EXECUTION';
  readonly errorType: string = 'execution';
}

/** More samples would be in memory at once than `maxSamples` allows. */
export class TooManySamplesError extends QueryExecutionError {
  override readonly code = 'PROMQL_TOO_MANY_SAMPLES';
  constructor() {
    super('query processing would load too many samples into memory in query execution');
  }
}

/** The query ran longer than its timeout. `stage` is upstream's wording (`query execution`, `queue`). */
export class QueryTimeoutError extends QueryExecutionError {
  override readonly code = 'PROMQL_TIMEOUT';
  override readonly errorType = 'timeout';
  constructor(stage: string) {
    super(`query timed out in ${stage}`);
  }
}

/** The caller gave up (the HTTP client went away). */
export class QueryCanceledError extends QueryExecutionError {
  override readonly code = 'PROMQL_CANCELED';
  override readonly errorType = 'canceled';
  constructor(stage: string) {
    super(`query was canceled in ${stage}`);
  }
}

/** A query parameter outside what the engine accepts (a range query's step, start after end…). */
export class QueryBadDataError extends QueryExecutionError {
  override readonly code = 'PROMQL_BAD_DATA';
  override readonly errorType = 'bad_data';
}
