/** Errors of the server module. */

/** The `errorType` values of Prometheus' API error shape, plus the HTTP-level ones vigil adds. */
export type ErrorType =
  | 'bad_data'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'too_large'
  | 'header_too_large'
  | 'too_many_requests'
  | 'timeout'
  | 'unavailable'
  | 'internal'
  | 'execution';

/** A request that ends with an error response `{status:"error", errorType, error}`. Thrown by handlers. */
export class HttpError extends Error {
  readonly code = 'HTTP_ERROR';
  constructor(
    readonly status: number,
    readonly errorType: ErrorType,
    message: string,
    /** Extra response headers, such as `Retry-After` or `WWW-Authenticate`. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The listen address cannot be bound. */
export class ListenError extends Error {
  readonly code = 'SERVER_LISTEN';
  constructor(
    readonly address: string,
    options: { cause: unknown },
  ) {
    const c = (options.cause as NodeJS.ErrnoException).code;
    const why =
      c === 'EADDRINUSE'
        ? 'the address is already in use (is another vigil or Prometheus running?)'
        : c === 'EACCES'
          ? 'permission denied (ports below 1024 need privileges)'
          : c === 'EADDRNOTAVAIL'
            ? 'no interface has this address'
            : (options.cause as Error).message;
    super(`cannot listen on ${address}: ${why}`, options);
    this.name = 'ListenError';
  }
}
