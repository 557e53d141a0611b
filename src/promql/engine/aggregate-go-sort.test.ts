import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rng } from '../../model/testing.ts';
import { goSort, heapFix, heapPush } from './aggregate-go-sort.ts';
import { nanFirstLess, quantile } from './aggregate-quantile.ts';

interface El {
  f: number;
  id: number;
}
const less = (a: El, b: El) => nanFirstLess(a.f, b.f);
const els = (fs: number[]): El[] => fs.map((f, id) => ({ f, id }));
const ids = (xs: El[]) => xs.map((x) => x.id);

describe('goSort', () => {
  // Permutations printed by Go 1.19's sort.Sort with the same Less (NaN first, then ascending).
  const cases: Array<[string, number[], number[]]> = [
    ['insertion sort keeps equal elements in order', [1, 0, 1, 0, Number.NaN], [4, 1, 3, 0, 2]],
    [
      'pdqsort (13+ elements) does not',
      [3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 0, 0],
      [13, 12, 10, 1, 4, 7, 2, 5, 8, 11, 6, 9, 0, 3],
    ],
    [
      'a decreasing run is reversed first',
      [14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ],
  ];
  for (const [name, fs, want] of cases) {
    it(name, () => {
      const xs = els(fs);
      goSort(xs, less);
      assert.deepEqual(ids(xs), want);
    });
  }

  it('sorts large inputs with many ties (heap sort and pattern breaking included)', () => {
    const next = rng(3);
    for (const n of [50, 200, 1000]) {
      const xs = els(Array.from({ length: n }, () => Math.floor(next() * 5)));
      goSort(xs, less);
      for (let i = 1; i < n; i++) assert.ok((xs[i - 1] as El).f <= (xs[i] as El).f);
      assert.deepEqual(
        [...ids(xs)].sort((a, b) => a - b),
        Array.from({ length: n }, (_, i) => i),
      );
    }
  });
});

describe('heapPush and heapFix', () => {
  it('keep the smallest at the top', () => {
    const next = rng(9);
    const h: number[] = [];
    const lessNum = (a: number, b: number) => a < b;
    for (let i = 0; i < 100; i++) heapPush(h, Math.floor(next() * 1000), lessNum);
    for (let i = 0; i < 100; i++) {
      h[0] = Math.floor(next() * 1000);
      heapFix(h, 0, lessNum);
      assert.equal(h[0], Math.min(...h));
    }
  });
});

describe('quantile', () => {
  const cases: Array<[number, number[], number]> = [
    [0.5, [], Number.NaN],
    [Number.NaN, [1], Number.NaN],
    [-0.1, [1], Number.NEGATIVE_INFINITY],
    [1.1, [1], Number.POSITIVE_INFINITY],
    [0.5, [3, 1, 2], 2],
    [0.8, [4, 0, 1], 2.8000000000000003],
    [0.25, [Number.NaN, 1, 2], Number.NaN],
    [1, [Number.NaN, 1, 2], 2],
  ];
  for (const [q, values, want] of cases) {
    it(`quantile(${q}, [${values.join(', ')}]) = ${want}`, () => assert.ok(Object.is(quantile(q, [...values]), want)));
  }
});
