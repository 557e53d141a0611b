import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { createLogger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { OutboxOptionError } from './errors.ts';
import { backoffMs, resolveOptions } from './options.ts';
import { parseRetryAfter } from './outcome.ts';

const base = { store: {} as Store, logger: createLogger({ write: () => {} }), registry: new Registry() };

describe('outbox options', () => {
  it('applies defaults', () => {
    const o = resolveOptions(base);
    assert.deepEqual(
      [o.initialMs, o.maxMs, o.maxAgeMs, o.slackIntervalMs, o.timeoutMs, o.userAgent],
      [1000, 300_000, 86_400_000, 1000, 10_000, 'vigil'],
    );
    assert.equal(resolveOptions({ ...base, slackRatePerSecond: 0 }).slackIntervalMs, 0);
  });

  it('names the field and value it refuses', () => {
    assert.throws(
      () => resolveOptions({ ...base, timeoutMs: -1 }),
      /outbox option timeoutMs: expected a positive number, got -1/,
    );
    assert.throws(() => resolveOptions({ ...base, retry: { initialMs: 10, maxMs: 5 } }), OutboxOptionError);
    assert.throws(() => resolveOptions({ ...base, maxConcurrent: 1.5 }), /maxConcurrent/);
  });

  it('draws full-jitter backoff below a doubling bound capped at maxMs', () => {
    const o = { initialMs: 1000, maxMs: 300_000 };
    const bounds = [1, 2, 3, 9, 10, 60].map((n) => backoffMs(n, { ...o, random: () => 0.999999 }));
    assert.deepEqual(bounds, [999, 1999, 3999, 255_999, 299_999, 299_999]);
    assert.equal(backoffMs(5, { ...o, random: () => 0 }), 0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-30T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3000);
    assert.equal(parseRetryAfter('Mon, 30 Nov 2026 00:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 00:00:05 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
