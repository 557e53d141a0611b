/** What one delivery attempt came to. Channels return it; they never throw. */
export type Outcome =
  | { ok: true }
  | {
      ok: false;
      /**
       * `transient`: try again after a backoff; `rate_limited`: try again after `retryAfterMs` (or a
       * backoff); `permanent`: the receiver refused the message and would refuse it again.
       */
      kind: 'transient' | 'permanent' | 'rate_limited';
      /** Short and secret-free: `500 Internal Server Error`, `404 channel_not_found`, `timeout after 10s`. */
      reason: string;
      retryAfterMs?: number;
    };

/** What a channel is given besides the message. */
export interface SendContext {
  /** Bound on the whole attempt (connect, request, response). */
  timeoutMs: number;
  /** Bytes of a response body kept for the error reason. */
  responseLimitBytes: number;
  userAgent: string;
  /** Aborted when the outbox closes. */
  signal: AbortSignal;
  /** Unix milliseconds, for Retry-After dates. */
  now: () => number;
}

export const success: Outcome = { ok: true };

export function failure(
  kind: 'transient' | 'permanent' | 'rate_limited',
  reason: string,
  retryAfterMs?: number,
): Outcome {
  return retryAfterMs === undefined ? { ok: false, kind, reason } : { ok: false, kind, reason, retryAfterMs };
}

/**
 * A `Retry-After` value in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable.
 * Never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
