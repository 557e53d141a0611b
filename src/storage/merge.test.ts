import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../model/index.ts';
import { ArrayCursor, ListSeries, ListSeriesSet } from './list.ts';
import { MergeCursor, MergeSeriesSet } from './merge.ts';
import { collect } from './testing.ts';

const series = (name: string, samples: Array<[number, number]>) =>
  new ListSeries(
    Labels.fromObject({ __name__: name }),
    Float64Array.from(samples.map(([t]) => t)),
    Float64Array.from(samples.map(([, v]) => v)),
  );

describe('MergeSeriesSet', () => {
  it('merges sorted sets, joining series with equal labels and dropping repeated timestamps', () => {
    const a = new ListSeriesSet(
      [
        series('a', [
          [1, 1],
          [3, 3],
        ]),
        series('c', [[1, 10]]),
      ],
      ['warn a'],
    );
    const b = new ListSeriesSet([
      series('a', [
        [2, 2],
        [3, 99],
        [4, 4],
      ]),
      series('b', [[5, 5]]),
    ]);
    const merged = new MergeSeriesSet([a, b]);
    assert.deepEqual(collect(merged), [
      [
        '{__name__="a"}',
        [
          [1, 1],
          [2, 2],
          [3, 3],
          [4, 4],
        ],
      ],
      ['{__name__="b"}', [[5, 5]]],
      ['{__name__="c"}', [[1, 10]]],
    ]);
    assert.deepEqual(merged.warnings(), ['warn a']);
  });

  it('handles empty inputs', () => {
    assert.deepEqual(collect(new MergeSeriesSet([])), []);
    assert.deepEqual(collect(new MergeSeriesSet([new ListSeriesSet([]), new ListSeriesSet([series('x', [])])])), [
      ['{__name__="x"}', []],
    ]);
  });
});

describe('MergeCursor', () => {
  const cursor = (ts: number[]) => new ArrayCursor(Float64Array.from(ts), Float64Array.from(ts.map((t) => t * 10)));

  it('seeks across cursors and never moves back', () => {
    const c = new MergeCursor([cursor([1, 5, 9]), cursor([2, 5, 7])]);
    assert.ok(c.seek(4));
    assert.deepEqual([c.atT(), c.atV()], [5, 50]);
    assert.ok(c.next());
    assert.equal(c.atT(), 7);
    assert.ok(c.seek(3));
    assert.equal(c.atT(), 7);
    assert.ok(c.next());
    assert.equal(c.atT(), 9);
    assert.equal(c.next(), false);
    assert.equal(c.seek(1), false);
  });
});

describe('MergeCursor against a plain merge', () => {
  it('gives the same samples for random overlapping inputs, first cursor winning ties', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const inputs = Array.from({ length: 1 + rand(4) }, (_, k) => {
        const ts = [...new Set(Array.from({ length: rand(30) }, () => rand(60)))].sort((a, b) => a - b);
        return { ts, vs: ts.map((t) => t * 10 + k) };
      });
      const want = new Map<number, number>();
      for (const { ts, vs } of inputs) {
        ts.forEach((t, i) => {
          if (!want.has(t)) want.set(t, vs[i] as number);
        });
      }
      const expected = [...want].sort((a, b) => a[0] - b[0]);
      const c = new MergeCursor(
        inputs.map(({ ts, vs }) => new ArrayCursor(Float64Array.from(ts), Float64Array.from(vs))),
      );
      const got: Array<[number, number]> = [];
      while (c.next()) got.push([c.atT(), c.atV()]);
      assert.deepEqual(got, expected, `round ${round}`);
    }
  });
});
