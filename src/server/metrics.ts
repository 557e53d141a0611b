import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The server's own instruments, registered on the registry that `/metrics` exposes. */
export interface HttpMetrics {
  readonly requests: Counter<'handler' | 'code' | 'method'>;
  readonly duration: Histogram<'handler'>;
  readonly inFlight: Gauge;
  readonly authFailures: Counter<'method'>;
}

export function createHttpMetrics(registry: Registry): HttpMetrics {
  return {
    requests: new Counter({
      name: 'vigil_http_requests_total',
      help: 'HTTP requests served, by route pattern, status code and method.',
      labelNames: ['handler', 'code', 'method'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'Time from request start to the end of the response, by route pattern.',
      labelNames: ['handler'],
      buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 60],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'vigil_http_requests_in_flight',
      help: 'HTTP requests being served now.',
      registers: [registry],
    }),
    authFailures: new Counter({
      name: 'vigil_auth_failures_total',
      help: 'Failed authentication attempts, by method (login, basic, token, locked_out).',
      labelNames: ['method'],
      registers: [registry],
    }),
  };
}
