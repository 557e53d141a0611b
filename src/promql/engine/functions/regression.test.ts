import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryExecutionError } from '../errors.ts';
import { context, points, runRange, series, window } from './testing.ts';

const m = 60;
/** `0+10x4 0+10x5` every 5m, from upstream's functions.test. */
const resetMiddle = points(5 * m, [0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50]);

describe('deriv and predict_linear', () => {
  it('agrees with rate on a steady counter', () => {
    assert.equal(runRange('deriv(x[50m])', window(series(0, 5 * m, 0, 80, 10), 50 * m, 50 * m)), 0.26666666666666666);
  });

  it('fits through a reset', () => {
    assert.equal(runRange('deriv(x[100m])', window(resetMiddle, 50 * m, 100 * m)), 0.010606060606060607);
  });

  it('gives NaN when an infinity is in the window', () => {
    const pts: [number, number][] = [
      [0, Number.NEGATIVE_INFINITY],
      ...series(5 * m, 5 * m, 0, 80, 10),
      [60 * m, Number.POSITIVE_INFINITY],
    ];
    assert.ok(Number.isNaN(runRange('deriv(x[100m])', window(pts, 100 * m, 100 * m))));
    const q = 'predict_linear(x[100m], 6000)';
    assert.ok(Number.isNaN(runRange(q, window(pts, 100 * m, 100 * m), [6000], context(q, 100 * m * 1000))));
  });

  it('predicts from the evaluation time, even when the window is pinned with @', () => {
    const cases: [number, number, number, number][] = [
      // [eval time s, window end s, range s, expected]
      [50 * m, 50 * m, 50 * m, 70],
      [50 * m, 3000, 55 * m, 76.81818181818181],
      [10 * m, 3000, 55 * m, 51.36363636363637],
      [70 * m, 3000, 55 * m, 89.54545454545455],
    ];
    for (const [at, end, range, want] of cases) {
      const q = 'predict_linear(x[55m], 3600)';
      const got = runRange(q, window(resetMiddle, end, range), [3600], context(q, at * 1000));
      assert.ok(Math.abs((got as number) - want) < 1e-9, `at ${at}s: ${got} ≠ ${want}`);
    }
  });

  it('needs two points', () => {
    assert.equal(runRange('deriv(x[1m])', window(points(60, [1]), 60, 60)), null);
  });
});

describe('double_exponential_smoothing', () => {
  const query = 'double_exponential_smoothing(x[1m], 0.01, 0.1)';
  it('follows trends up and down', () => {
    const up = series(7950, 10, 7950, 10, 5);
    assert.ok(Math.abs((runRange(query, window(up, 8000, 60), [0.01, 0.1]) as number) - 8000) < 1e-6);
    const down = series(7950, 10, 50, -10, 5);
    assert.ok(Math.abs(runRange(query, window(down, 8000, 60), [0.01, 0.1]) as number) < 1e-6);
  });

  it('rejects factors outside (0, 1) with upstream’s messages', () => {
    const w = window(series(0, 10, 0, 1, 5), 50, 60);
    assert.throws(
      () => runRange(query, w, [0, 0.1]),
      (e) =>
        e instanceof QueryExecutionError &&
        e.message === 'invalid smoothing factor. Expected: 0 < sf < 1, got: 0.000000',
    );
    assert.throws(
      () => runRange(query, w, [0.5, 1.5]),
      (e) =>
        e instanceof QueryExecutionError && e.message === 'invalid trend factor. Expected: 0 < tf < 1, got: 1.500000',
    );
  });
});
