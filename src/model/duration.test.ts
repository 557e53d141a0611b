import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDurationMs, parseDurationMs } from './duration.ts';

describe('parseDurationMs', () => {
  const cases: Array<[string, number | undefined]> = [
    ['0', 0],
    ['15s', 15_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['1h1m1s1ms', 3_661_001],
    ['', undefined],
    ['fifteen', undefined],
    ['15', undefined],
    ['1s1m', undefined],
    ['1m1m', undefined],
    ['-5s', undefined],
    ['1.5s', undefined],
    ['99999999999999999999y', undefined],
  ];
  for (const [text, want] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => assert.equal(parseDurationMs(text), want));
  }
});

describe('formatDurationMs', () => {
  const cases: Array<[number, string]> = [
    [0, '0s'],
    [90_000, '1m30s'],
    [250, '250ms'],
    [86_400_000, '1d'],
    [-1000, '-1s'],
  ];
  for (const [ms, want] of cases) {
    it(`formats ${ms}`, () => assert.equal(formatDurationMs(ms), want));
  }
  it('round-trips', () => {
    for (const ms of [1, 1500, 3_661_001, 31_536_000_000 + 604_800_000]) {
      assert.equal(parseDurationMs(formatDurationMs(ms)), ms);
    }
  });
});
