import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { atModifierCase, dependsOnQueryRange } from './at-modifier.ts';

describe('atModifierCase', () => {
  test('pins selectors, matrix selectors and outermost subqueries lacking an @', () => {
    const c = atModifierCase('sum(rate(a[5m])) + b @ 10 + max_over_time(c[10m:1m]) + d offset 1m', 60_000);
    assert.equal(
      c?.expr,
      'sum(rate(a[5m] @ 60.000)) + b @ 10.000 + max_over_time(c[10m:1m] @ 60.000) + d @ 60.000 offset 1m',
    );
    assert.deepEqual(c?.evalTimesMs, [-600_000, 0, 12_000, 60_000, 600_000]);
  });

  test('at time zero the variant runs at -1s, 0 and 1s', () => {
    assert.deepEqual(atModifierCase('a', 0)?.evalTimesMs, [-1000, 0, 1000]);
  });

  test('time-dependent functions rule the variant out, except under a pinned subquery', () => {
    assert.equal(atModifierCase('time() - a', 1000), null);
    assert.equal(atModifierCase('timestamp(a)', 1000), null);
    assert.notEqual(atModifierCase('max_over_time(timestamp(a)[5m:1m])', 1000), null);
  });

  test('range-dependent expressions skip the range-mode re-run', () => {
    assert.ok(dependsOnQueryRange('a offset step()'));
    assert.ok(!dependsOnQueryRange('a offset 1m'));
  });
});
