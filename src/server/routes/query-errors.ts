/** The errors of the Prometheus API routes, with upstream's `errorType` and HTTP status for each. */

/** Upstream's `errorType` values. */
export type ApiErrorType =
  | 'bad_data'
  | 'execution'
  | 'timeout'
  | 'canceled'
  | 'internal'
  | 'unavailable'
  | 'not_found'
  | 'not_acceptable';

/**
 * Upstream's status per type (`respondError`): canceled is nginx's 499 "client closed request"; timeout and
 * unavailable 503; execution 422.
 */
const statusOf: Readonly<Record<ApiErrorType, number>> = {
  bad_data: 400,
  execution: 422,
  canceled: 499,
  timeout: 503,
  unavailable: 503,
  internal: 500,
  not_found: 404,
  not_acceptable: 406,
};

/** A request that ends with `{status:"error", errorType, error}`. Thrown by the API handlers. */
export class ApiError extends Error {
  readonly code = 'PROM_API';
  readonly status: number;

  constructor(
    readonly errorType: ApiErrorType,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = statusOf[errorType];
  }

  static badData(message: string): ApiError {
    return new ApiError('bad_data', message);
  }
}
