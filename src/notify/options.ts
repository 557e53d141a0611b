import type { Registry } from 'prom-client';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { OutboxOptionError } from './errors.ts';

/** How failed deliveries are retried. */
export interface RetryOptions {
  /** The first backoff's upper bound; each failure doubles it. @default 1000 */
  initialMs?: number;
  /** The largest backoff bound, and the cap on a receiver's Retry-After. @default 300000 (5 min) */
  maxMs?: number;
  /** A message still undelivered this long after it was enqueued goes to the dead letters. @default 86400000 (24 h) */
  maxAgeMs?: number;
}

export interface OutboxOptions {
  /** The database; the outbox uses its tables from migration 2. One Outbox per database file. */
  store: Store;
  logger: Logger;
  /** Where the `vigil_notification*` metrics are registered; one Outbox per registry. */
  registry: Registry;
  /** Unix milliseconds. @default Date.now */
  now?: () => number;
  /** A number in [0, 1), for backoff jitter. @default Math.random */
  random?: () => number;
  /** Sent as `User-Agent` by the HTTP channels. @default 'vigil' */
  userAgent?: string;
  retry?: RetryOptions;
  /** Most messages per second to one Slack webhook URL; 0 for no limit. @default 1 */
  slackRatePerSecond?: number;
  /** Bound on one delivery attempt, connect to response. @default 10000 */
  timeoutMs?: number;
  /** Bytes of a response body read (for the error reason); the rest is not read. @default 4096 */
  responseLimitBytes?: number;
  /** Deliveries in flight at once, each to a different destination or stream. @default 32 */
  maxConcurrent?: number;
  /** How long `close()` waits for deliveries in flight before abandoning them. @default 5000 */
  closeTimeoutMs?: number;
  /** Rows of delivery history kept. @default 1000 */
  historyLimit?: number;
}

export interface ResolvedOptions {
  store: Store;
  logger: Logger;
  registry: Registry;
  now: () => number;
  random: () => number;
  userAgent: string;
  initialMs: number;
  maxMs: number;
  maxAgeMs: number;
  slackIntervalMs: number;
  timeoutMs: number;
  responseLimitBytes: number;
  maxConcurrent: number;
  closeTimeoutMs: number;
  historyLimit: number;
}

function positive(name: string, value: number | undefined, fallback: number, { zero = false, integer = false } = {}) {
  const v = value ?? fallback;
  const ok = Number.isFinite(v) && (zero ? v >= 0 : v > 0) && (!integer || Number.isInteger(v));
  if (!ok)
    throw new OutboxOptionError(
      name,
      value,
      `a ${zero ? 'non-negative' : 'positive'} ${integer ? 'integer' : 'number'}`,
    );
  return v;
}

/** Applies defaults and checks ranges; throws OutboxOptionError naming the field. */
export function resolveOptions(o: OutboxOptions): ResolvedOptions {
  const initialMs = positive('retry.initialMs', o.retry?.initialMs, 1000);
  const maxMs = positive('retry.maxMs', o.retry?.maxMs, 300_000);
  if (maxMs < initialMs) throw new OutboxOptionError('retry.maxMs', maxMs, `at least retry.initialMs (${initialMs})`);
  const rate = positive('slackRatePerSecond', o.slackRatePerSecond, 1, { zero: true });
  return {
    store: o.store,
    logger: o.logger,
    registry: o.registry,
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
    userAgent: o.userAgent ?? 'vigil',
    initialMs,
    maxMs,
    maxAgeMs: positive('retry.maxAgeMs', o.retry?.maxAgeMs, 86_400_000),
    slackIntervalMs: rate === 0 ? 0 : 1000 / rate,
    timeoutMs: positive('timeoutMs', o.timeoutMs, 10_000),
    responseLimitBytes: positive('responseLimitBytes', o.responseLimitBytes, 4096, { integer: true }),
    maxConcurrent: positive('maxConcurrent', o.maxConcurrent, 32, { integer: true }),
    closeTimeoutMs: positive('closeTimeoutMs', o.closeTimeoutMs, 5000, { zero: true }),
    historyLimit: positive('historyLimit', o.historyLimit, 1000, { integer: true }),
  };
}

/**
 * Full-jitter exponential backoff: a uniform draw in [0, min(maxMs, initialMs · 2^(failures-1))). `failures`
 * counts the failed attempts so far, from 1.
 */
export function backoffMs(failures: number, o: Pick<ResolvedOptions, 'initialMs' | 'maxMs' | 'random'>): number {
  const bound = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.floor(o.random() * bound);
}
