import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, labels, points, runRange, series, window } from './testing.ts';

/** Equal as the upstream test runner compares floats: NaN to NaN, else relative difference below 1e-6. */
function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, what);
  } else if (Number.isNaN(expected)) {
    assert.ok(Number.isNaN(actual), `${what}: ${actual} is not NaN`);
  } else if (actual !== expected) {
    assert.ok(
      Math.abs(actual - expected) / (Math.abs(actual) + Math.abs(expected)) < 1e-6,
      `${what}: ${actual} ≠ ${expected}`,
    );
  }
}

const m = 60;

describe('rate, increase, delta', () => {
  const cases: {
    name: string;
    query: string;
    pts: [number, number][];
    at: number;
    range: number;
    want: number | null;
  }[] = [
    {
      name: 'counter reset in the middle',
      query: 'rate(x_total[50m])',
      pts: points(5 * m, [0, 27, 54, 81, 108, 0, 27, 54, 81, 108, 135]),
      at: 50 * m,
      range: 50 * m,
      want: 0.08,
    },
    {
      name: 'one point',
      query: 'rate(x_total[5m])',
      pts: points(5 * m, [...series(0, 1, 0, 10, 9).map(([, v]) => v), 0, 10]),
      at: 50 * m,
      range: 5 * m,
      want: null,
    },
    {
      name: 'reset at the end',
      query: 'rate(x_total[6m])',
      pts: points(5 * m, [...series(0, 1, 0, 10, 9).map(([, v]) => v), 0, 10]),
      at: 50 * m,
      range: 6 * m,
      want: 0,
    },
    {
      name: 'per second',
      query: 'rate(x_total[50m])',
      pts: series(0, 5 * m, 0, 80, 10),
      at: 50 * m,
      range: 50 * m,
      want: 0.26666666666666666,
    },
    {
      name: 'zero cutoff, start 0m',
      query: 'rate(x_total[20m])',
      pts: series(0, 4 * m, 0, 240, 10),
      at: 10 * m,
      range: 20 * m,
      want: 0.5,
    },
    {
      name: 'zero cutoff, start 1m',
      query: 'rate(x_total[20m])',
      pts: series(0, 4 * m, 60, 240, 10),
      at: 10 * m,
      range: 20 * m,
      want: 0.55,
    },
    {
      name: 'zero cutoff, start 2m',
      query: 'rate(x_total[20m])',
      pts: series(0, 4 * m, 120, 240, 10),
      at: 10 * m,
      range: 20 * m,
      want: 0.6,
    },
    {
      name: 'half-interval cutoff',
      query: 'rate(x_total[20m])',
      pts: series(0, 4 * m, 300, 240, 10),
      at: 10 * m,
      range: 20 * m,
      want: 0.6,
    },
    {
      name: 'increase',
      query: 'increase(x_total[50m])',
      pts: series(0, 5 * m, 0, 10, 10),
      at: 50 * m,
      range: 50 * m,
      want: 100,
    },
    {
      name: 'increase with reset',
      query: 'increase(x_total[50m])',
      pts: points(5 * m, [0, 18, 36, 54, 72, 90, 0, 18, 36, 54, 72]),
      at: 50 * m,
      range: 50 * m,
      want: 160,
    },
    {
      name: 'increase, whole window',
      query: 'increase(x_total[100m])',
      pts: points(5 * m, [0, 18, 36, 54, 72, 90, 0, 18, 36, 54, 72]),
      at: 50 * m,
      range: 100 * m,
      want: 162,
    },
    {
      name: 'increase, extrapolate half interval',
      query: 'increase(x_total[100m])',
      pts: series(0, 5 * m, 10, 10, 10),
      at: 50 * m,
      range: 100 * m,
      want: 105,
    },
    {
      name: 'increase, extrapolate to zero',
      query: 'increase(x_total[100m])',
      pts: series(0, 5 * m, 1, 10, 10),
      at: 50 * m,
      range: 100 * m,
      want: 101,
    },
    {
      name: 'increase, 3 2 is a reset',
      query: 'increase(x_total[30m])',
      pts: points(5 * m, [0, 1, 2, 3, 2, 3, 4]),
      at: 30 * m,
      range: 30 * m,
      want: 7,
    },
    {
      name: 'delta has no resets',
      query: 'delta(x[50m])',
      pts: points(5 * m, [0, 18, 36, 54, 72, 90, 0, 18, 36, 54, 72]),
      at: 50 * m,
      range: 50 * m,
      want: 60,
    },
  ];
  for (const c of cases) {
    it(c.name, () => close(runRange(c.query, window(c.pts, c.at, c.range)), c.want, c.query));
  }

  it('notes a rate over a name that does not look like a counter, at the matrix argument', () => {
    const q = 'rate(http_requests[5m])';
    const ctx = context(q);
    const w = window(series(0, 60, 0, 1, 5), 5 * m, 5 * m, labels({ __name__: 'http_requests' }));
    runRange(q, w, [], ctx);
    assert.deepEqual(
      [...ctx.annotations.infos],
      [
        'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "http_requests" (1:6)',
      ],
    );
  });

  it('does not note counters, delta, or series without a result', () => {
    for (const [q, name, n] of [
      ['rate(x_total[5m])', 'x_total', 5],
      ['increase(x_bucket[5m])', 'x_bucket', 5],
      ['delta(x[5m])', 'x', 5],
      ['rate(x[5m])', 'x', 0],
    ] as const) {
      const ctx = context(q);
      runRange(q, window(series(0, 60, 0, 1, n), 5 * m, 5 * m, labels({ __name__: name })), [], ctx);
      assert.equal(ctx.annotations.infos.size, 0, q);
    }
  });
});

describe('irate, idelta', () => {
  it('uses the last two points, a drop being a reset for irate only', () => {
    const pts = points(5 * m, [0, 10, 20, 30, 0, 10]);
    close(runRange('irate(x[50m])', window(pts, 25 * m, 50 * m)), 10 / 300, 'irate');
    close(runRange('irate(x[50m])', window(pts, 20 * m, 50 * m)), 0, 'irate after reset');
    close(runRange('idelta(x[50m])', window(pts, 20 * m, 50 * m)), -30, 'idelta');
  });

  it('treats NaN as no reset', () => {
    const pts = points(5 * m, [1, Number.NaN, Number.NaN, 5, 11]);
    close(runRange('irate(x[15m1s])', window(pts, 5 * m, 15 * m + 1)), Number.NaN, '5m');
    close(runRange('irate(x[15m1s])', window(pts, 15 * m, 15 * m + 1)), Number.NaN, '15m');
    close(runRange('irate(x[15m1s])', window(pts, 20 * m, 15 * m + 1)), 0.02, '20m');
  });
});

describe('changes, resets', () => {
  const foo = points(5 * m, [1, 2, 3, 0, 1, 0, 0, 1, 2, 0]);
  const bar = points(5 * m, [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
  for (const [range, wantFoo, wantBar] of [
    [10 * m, 0, 0],
    [20 * m, 1, 0],
    [32 * m, 2, 1],
    [50 * m, 3, 1],
  ] as const) {
    it(`resets over ${range / m}m`, () => {
      assert.equal(runRange('resets(x[1m])', window(foo, 50 * m, range)), wantFoo);
      assert.equal(runRange('resets(x[1m])', window(bar, 50 * m, range)), wantBar);
    });
  }

  it('counts NaN to NaN as no change', () => {
    assert.equal(
      runRange('changes(x[20m])', window(points(5 * m, [Number.NaN, Number.NaN, Number.NaN]), 15 * m, 20 * m)),
      0,
    );
    assert.equal(runRange('changes(x[20m])', window(points(5 * m, [0, Number.NaN, 0]), 15 * m, 20 * m)), 2);
  });

  it('gives nothing for an empty window', () => {
    assert.equal(runRange('changes(x[1m])', window([], 0, 60)), null);
  });
});
