import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, points, runRange, window } from './testing.ts';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

/** The whole series as one window (every point inside). */
function all(values: number[], intervalS = 10) {
  return window(points(intervalS, values), intervalS * values.length, intervalS * values.length + 1);
}

describe('avg_over_time and sum_over_time', () => {
  // Expected values from upstream's functions.test; 16–17 significant digits are upstream's exact output.
  const exact: [string, number[], number][] = [
    ['plain', [1, 2, 3, 4, 5], 3],
    ['+Inf', [1, 2, 3, 4, inf], inf],
    ['-Inf', [1, 2, 3, 4, ninf], ninf],
    ['+Inf and -Inf', [1, 2, 3, inf, ninf], nan],
    ['+Inf first', [inf, 0, inf], inf],
    ['all infinities', [inf, inf, inf, ninf], nan],
    ['-Inf first', [ninf, 0, ninf], ninf],
    ['NaN', [1, 2, 3, nan, nan], nan],
    ['overflowing sum', [9.988465674311579e307, 9.988465674311579e307], 9.988465674311579e307],
    [
      'overflowing negative sum',
      [-9.988465674311579e307, -9.988465674311579e307, -9.988465674311579e307],
      -9.988465674311579e307,
    ],
    ['cancelling huge values', [-9.988465674311579e307, 9.988465674311579e307], 0],
    ['big intermediates', [1, 1e100, 1, -1e100], 0.5],
    ['magnitudes', [1e10, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6], 1.6666666666666675e9],
    [
      'dominated',
      [-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 1.78264e215, -458.90154],
      3.225714285714286e219,
    ],
    [
      'dominated, cancelling',
      [
        -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412, 1.78264e219,
        -458.90154,
      ],
      2.5088888888888888e219,
    ],
    [
      'beyond Kahan',
      [
        -2.258e220, -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412,
        1.78264e219, -458.90154,
      ],
      0,
    ],
  ];
  for (const [name, values, want] of exact) {
    it(`avg: ${name}`, () => assert.equal(runRange('avg_over_time(x[1m])', all(values)), want));
  }

  it('avg of a constant series is exactly the constant', () => {
    for (const n of [10, 11, 12, 13]) assert.equal(runRange('avg_over_time(x[1m])', all(new Array(n).fill(52))), 52);
  });

  it('sum keeps detail across huge intermediates and counts dense points exactly', () => {
    assert.equal(runRange('sum_over_time(x[2m])', all([1, 1e100, 1, -1e100])), 2);
    assert.equal(runRange('sum_over_time(x[2m])', all([1, 2, 3, 4, inf])), inf);
    assert.equal(runRange('sum_over_time(x[2m])', all(new Array(1003).fill(1), 0.001)), 1003);
  });

  it('gives nothing for an empty window', () => {
    assert.equal(runRange('avg_over_time(x[10s])', window(points(10, [1, 2, 3, 4, 5]), 55, 4)), null);
    assert.equal(runRange('sum_over_time(x[10s])', window([], 55, 10)), null);
  });
});

describe('stddev_over_time and stdvar_over_time', () => {
  it('computes the population variance', () => {
    // Upstream's test says 10.56 within its 1e-6 tolerance; Welford with Kahan gives exactly this.
    assert.equal(runRange('stdvar_over_time(x[2m])', all([0, 8, 8, 2, 3])), 10.559999999999999);
    assert.ok(Math.abs((runRange('stddev_over_time(x[2m])', all([0, 8, 8, 2, 3])) as number) - 3.249615) < 1e-6);
    assert.equal(runRange('stddev_over_time(x[2m])', all([1, 1, 1])), 0);
  });
});

describe('min, max and ts_of over time', () => {
  const cases: [string, number[], number, number][] = [
    ['numbers', [2, 0, 3], 0, 3],
    ['some NaN last', [2, 0, nan], 0, 2],
    ['some NaN middle', [2, nan, 1], 1, 2],
    ['NaN first', [nan, 0, 1], 0, 1],
    ['only NaN', [nan, nan, nan], nan, nan],
  ];
  for (const [name, values, min, max] of cases) {
    it(name, () => {
      assert.deepEqual(runRange('min_over_time(x[2m])', all(values)), min);
      assert.deepEqual(runRange('max_over_time(x[2m])', all(values)), max);
    });
  }

  it('reports the time of the last of equal extremes, and of the first and last points', () => {
    const w = all([3, 1, 3, 1, 2]);
    assert.equal(runRange('ts_of_max_over_time(x[2m])', w), 20);
    assert.equal(runRange('ts_of_min_over_time(x[2m])', w), 30);
    assert.equal(runRange('ts_of_first_over_time(x[2m])', w), 0);
    assert.equal(runRange('ts_of_last_over_time(x[2m])', w), 40);
    assert.equal(runRange('first_over_time(x[2m])', w), 3);
    assert.equal(runRange('last_over_time(x[2m])', w), 2);
  });
});

describe('quantile_over_time and mad_over_time', () => {
  it('interpolates between ranks', () => {
    assert.equal(runRange('quantile_over_time(0.5, x[2m])', all([0, 1]), [0.5]), 0.5);
    assert.equal(runRange('quantile_over_time(0.8, x[2m])', all([0, 1, 2]), [0.8]), 1.6);
    assert.equal(runRange('quantile_over_time(1, x[2m])', all([0, 1, 2]), [1]), 2);
  });

  it('sorts NaN below every number', () => {
    assert.ok(Number.isNaN(runRange('quantile_over_time(0, x[2m])', all([1, nan, 2]), [0])));
    assert.equal(runRange('quantile_over_time(1, x[2m])', all([1, nan, 2]), [1]), 2);
  });

  it('warns at the quantile argument when it is out of range', () => {
    for (const [q, want, text] of [
      [-1, ninf, '-1'],
      [2, inf, '2'],
      [nan, nan, 'NaN'],
    ] as const) {
      const query = 'quantile_over_time(0.5, x[2m])';
      const ctx = context(query);
      assert.deepEqual(runRange(query, all([0, 1]), [q], ctx), want);
      assert.deepEqual(
        [...ctx.annotations.warnings],
        [`PromQL warning: quantile value should be between 0 and 1, got ${text} (1:20)`],
      );
    }
  });

  it('mad is the median absolute deviation, NaN with any NaN', () => {
    assert.equal(runRange('mad_over_time(x[2m])', all([1, 2, 3, 4, 10])), 1);
    assert.ok(Number.isNaN(runRange('mad_over_time(x[2m])', all([1, 2, nan, 4]))));
  });
});

describe('count and present over time', () => {
  it('count points; an empty window gives nothing', () => {
    assert.equal(runRange('count_over_time(x[2m])', all([1, nan, 3])), 3);
    assert.equal(runRange('present_over_time(x[2m])', all([nan])), 1);
    assert.equal(runRange('count_over_time(x[2m])', window([], 10, 10)), null);
  });
});
