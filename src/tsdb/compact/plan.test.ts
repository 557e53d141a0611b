import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockRanges, exponentialRanges, type PlanBlock, plan, splitByRange } from './plan.ts';
import { expiredBlocks } from './retention.ts';

const h = 3600_000;
const block = (ulid: string, fromH: number, toH: number, tombstones = 0): PlanBlock => ({
  ulid,
  minTime: fromH * h,
  maxTime: toH * h,
  numSeries: 100,
  numTombstoneSeries: tombstones,
});

describe('compaction plan', () => {
  const ranges = exponentialRanges(2 * h, 3, 3);

  it('derives ranges from the retention like Prometheus', () => {
    assert.deepEqual(ranges, [2 * h, 6 * h, 18 * h]);
    assert.deepEqual(blockRanges(15 * 24 * h), [2 * h, 6 * h, 18 * h], '10% of 15d is 36h');
    assert.equal(blockRanges(365 * 24 * h).at(-1), 486 * h, 'capped at 31d');
  });

  const cases: Array<[string, PlanBlock[], string[]]> = [
    ['nothing with one block', [block('a', 0, 2)], []],
    ['not the newest block', [block('a', 0, 2), block('b', 2, 4)], []],
    [
      'three 2h blocks fill 6h, newest excluded',
      [block('a', 0, 2), block('b', 2, 4), block('c', 4, 6), block('d', 6, 8)],
      ['a', 'b', 'c'],
    ],
    ['partial window before the newest block', [block('a', 0, 2), block('b', 2, 4), block('d', 6, 8)], ['a', 'b']],
    ['overlapping blocks first', [block('a', 0, 2), block('b', 1, 3), block('c', 4, 6)], ['a', 'b']],
    [
      '6h blocks into 18h',
      [block('a', 0, 6), block('b', 6, 12), block('c', 12, 18), block('d', 18, 20)],
      ['a', 'b', 'c'],
    ],
    ['a block with many deletions alone', [block('a', 0, 6, 10), block('b', 6, 8)], ['a']],
  ];
  for (const [name, blocks, want] of cases) it(name, () => assert.deepEqual(plan(blocks, ranges), want));

  it('splits blocks into aligned windows, leaving out straddlers', () => {
    const parts = splitByRange([block('a', 0, 2), block('b', 2, 4), block('x', 5, 7), block('c', 6, 8)], 6 * h);
    assert.deepEqual(
      parts.map((p) => p.map((b) => b.ulid)),
      [['a', 'b'], ['c']],
    );
  });
});

describe('retention', () => {
  const b = (ulid: string, toH: number, size = 10) => ({
    ulid,
    minTime: (toH - 2) * h,
    maxTime: toH * h,
    sizeBytes: size,
  });

  it('deletes blocks too far behind the newest, and the oldest beyond the size limit', () => {
    const blocks = [b('old', 2), b('mid', 20), b('new', 30)];
    assert.deepEqual(expiredBlocks(blocks, 12 * h, 0), ['old']);
    assert.deepEqual(expiredBlocks(blocks, 0, 25), ['old']);
    assert.deepEqual(expiredBlocks(blocks, 0, 25, 10), ['mid', 'old']);
    assert.deepEqual(expiredBlocks(blocks, 0, 0), []);
  });
});
