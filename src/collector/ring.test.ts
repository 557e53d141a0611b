import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterRate, StatsRing } from './ring.ts';
import type { ContainerStats } from './types.ts';

const pass = (t: number): ContainerStats => ({
  timestampMs: t,
  cpu: null,
  memory: null,
  network: [],
  blkio: [],
  processes: null,
});

describe('StatsRing', () => {
  it('keeps the newest passes, oldest first, in fixed memory', () => {
    const r = new StatsRing(3);
    assert.equal(r.latest(), undefined);
    for (let t = 1; t <= 5; t++) r.push(pass(t));
    assert.equal(r.size, 3);
    assert.deepEqual(
      r.list().map((s) => s.timestampMs),
      [3, 4, 5],
    );
    assert.equal(r.latest()?.timestampMs, 5);
    assert.equal(r.previous()?.timestampMs, 4);
    assert.deepEqual(
      r.list(4).map((s) => s.timestampMs),
      [4, 5],
    );
    assert.deepEqual(
      r.list(Number.NEGATIVE_INFINITY, 1).map((s) => s.timestampMs),
      [5],
    );
    assert.throws(() => new StatsRing(1), RangeError);
  });
});

describe('counterRate', () => {
  it('is the per-second increase, counting a counter that went down (a restart) from zero', () => {
    assert.equal(counterRate(100, 300, 2000), 100);
    assert.equal(counterRate(5000, 200, 1000), 200, 'after a reset the new value is the increase');
    assert.equal(counterRate(null, 5, 1000), null);
    assert.equal(counterRate(1, 5, 0), null, 'no time between passes');
    assert.equal(counterRate(1, undefined, 1000), null);
  });
});
