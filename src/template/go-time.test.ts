import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoTime, GoDuration, goTimeString, goZeroTimeMs, timeMethods } from './go-time.ts';

const t = new Date(Date.UTC(2006, 0, 2, 15, 4, 5, 120));

describe('Go time formatting', () => {
  /** [layout, expected] for 2006-01-02T15:04:05.120Z */
  const layouts: [string, string][] = [
    ['2006-01-02 15:04:05', '2006-01-02 15:04:05'],
    ['Mon Jan _2 15:04:05 MST 2006', 'Mon Jan  2 15:04:05 UTC 2006'],
    ['Monday, 02-Jan-06 03:04:05 PM -0700', 'Monday, 02-Jan-06 03:04:05 PM +0000'],
    ['2006-01-02T15:04:05Z07:00', '2006-01-02T15:04:05Z'],
    ['15:04:05.000', '15:04:05.120'],
    ['15:04:05.999', '15:04:05.12'],
    ['15:04:05.000000', '15:04:05.120000'],
    ['January 2, 2006 3:04pm', 'January 2, 2006 3:04pm'],
    ['002', '002'],
  ];
  for (const [layout, want] of layouts) {
    it(layout, () => assert.equal(formatGoTime(t, layout), want));
  }

  it("prints like time.Time's String", () => {
    assert.equal(goTimeString(t), '2006-01-02 15:04:05.12 +0000 UTC');
    assert.equal(goTimeString(new Date(0)), '1970-01-01 00:00:00 +0000 UTC');
    assert.equal(goTimeString(new Date(goZeroTimeMs)), '0001-01-01 00:00:00 +0000 UTC');
  });

  it('offers the time methods templates call', () => {
    assert.equal(timeMethods.Unix?.(t), 1136214245n);
    assert.equal(timeMethods.IsZero?.(new Date(goZeroTimeMs)), true);
    assert.equal(timeMethods.IsZero?.(t), false);
  });
});

describe('GoDuration', () => {
  /** [nanoseconds, expected] */
  const durations: [number, string][] = [
    [0, '0s'],
    [999, '999ns'],
    [1500, '1.5µs'],
    [2_500_000, '2.5ms'],
    [1e9, '1s'],
    [90e9, '1m30s'],
    [3600e9, '1h0m0s'],
    [3600.5e9, '1h0m0.5s'],
    [-61e9, '-1m1s'],
  ];
  for (const [ns, want] of durations) {
    it(want, () => assert.equal(new GoDuration(ns).String(), want));
  }
});
