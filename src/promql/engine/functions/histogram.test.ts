import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Vector } from '../value.ts';
import { bucketFraction, bucketQuantile } from './bucket-quantile.ts';
import { formatOpenMetricsFloat } from './histogram.ts';
import { context, runInstant, sample } from './testing.ts';

/** Bucket samples `name{le=…, …labels}` with the given cumulative counts. */
function buckets(name: string, extra: Record<string, string>, pairs: [string, number][]): Vector {
  return pairs.map(([le, count]) => sample({ __name__: name, le, ...extra }, count));
}

/** Upstream's expected values are written to ~16 digits and compared within a tolerance; so are these. */
function near(actual: number | undefined, expected: number): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= 1e-12 * Math.abs(expected),
    `${actual} ≠ ${expected}`,
  );
}

function byLabels(v: Vector): Record<string, number> {
  const noName = (s: Vector[number]) => s.metric.without('__name__').toString();
  return Object.fromEntries(v.map((s) => [noName(s), s.f]));
}

// testhistogram3 at 50m, from upstream's histograms.test.
const positive = buckets('testhistogram3_bucket', { start: 'positive' }, [
  ['0', 0],
  ['0.1', 50],
  ['.2', 70],
  ['1e0', 110],
  ['+Inf', 110],
]);
const negative = buckets('testhistogram3_bucket', { start: 'negative' }, [
  ['-.25', 0],
  ['-.2', 10],
  ['-0.1', 20],
  ['0.3', 20],
  ['+Inf', 20],
]);

describe('histogram_quantile', () => {
  const q = 'histogram_quantile(0.5, testhistogram3_bucket)';
  for (const [phi, pos, neg] of [
    [0, 0, -0.25],
    [0.25, 0.055, -0.225],
    [0.5, 0.125, -0.2],
    [0.75, 0.45, -0.15],
    [1, 1, -0.1],
  ] as const) {
    it(`φ = ${phi}`, () => {
      const got = byLabels(runInstant(q, [phi, [...positive, ...negative]]));
      near(got['{start="positive"}'], pos);
      near(got['{start="negative"}'], neg);
    });
  }

  it('gives ±Inf or NaN for an invalid quantile, with a warning at the quantile', () => {
    for (const [phi, want, text] of [
      [-0.1, Number.NEGATIVE_INFINITY, '-0.1'],
      [1.01, Number.POSITIVE_INFINITY, '1.01'],
      [Number.NaN, Number.NaN, 'NaN'],
    ] as const) {
      const ctx = context(q);
      const got = runInstant(q, [phi, positive], ctx);
      assert.deepEqual(
        got.map((s) => s.f),
        [want],
      );
      assert.deepEqual(
        [...ctx.annotations.warnings],
        [`PromQL warning: quantile value should be between 0 and 1, got ${text} (1:20)`],
      );
    }
    const empty = context(q);
    runInstant(q, [Number.NaN, []], empty);
    assert.equal(empty.annotations.warnings.size, 1);
  });

  it('fixes non-monotonic buckets with an info at the buckets, naming the metric with delayed name removal', () => {
    const nonmonotonic = buckets('nonmonotonic_bucket', {}, [
      ['0.1', 20],
      ['1', 10],
      ['10', 50],
      ['100', 40],
      ['1000', 90],
      ['+Inf', 80],
    ]);
    const query = 'histogram_quantile(0.5, nonmonotonic_bucket)';
    for (const [phi, want] of [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ] as const) {
      const ctx = context(query);
      const [got] = runInstant(query, [phi, nonmonotonic], ctx).map((s) => s.f);
      near(got, want);
      assert.deepEqual(
        [...ctx.annotations.infos],
        [
          'PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name "nonmonotonic_bucket" (1:25)',
        ],
      );
    }
    const plain = context(query, 0, false);
    runInstant(query, [0.5, nonmonotonic], plain);
    assert.match([...plain.annotations.infos][0] as string, /#histogram_quantile\) \(1:25\)$/);
  });

  it('merges equal bounds written differently, and gives NaN without observations', () => {
    const mixed = [
      ...buckets('mixed_bucket', { instance: 'ins1' }, [
        ['0.1', 1],
        ['0.2', 1],
        ['2e-1', 1],
        ['2.0e-1', 1],
        ['+Inf', 4],
      ]),
      ...buckets('mixed_bucket', { instance: 'ins2' }, [
        ['+inf', 0],
        ['+Inf', 0],
      ]),
    ];
    const got = byLabels(runInstant('histogram_quantile(0.5, mixed_bucket)', [0.5, mixed]));
    near(got['{instance="ins1"}'], 0.15);
    assert.ok(Number.isNaN(got['{instance="ins2"}']));
  });

  it('skips buckets with a bad le, with a warning at the buckets', () => {
    const query = 'histogram_quantile(0.5, x_bucket)';
    const ctx = context(query);
    const got = runInstant(
      query,
      [0.5, [sample({ __name__: 'x_bucket', le: 'one' }, 1), sample({ __name__: 'x' }, 1)]],
      ctx,
    );
    assert.deepEqual(got, []);
    assert.deepEqual([...ctx.annotations.warnings].sort(), [
      'PromQL warning: bucket label "le" is missing or has a malformed value of "" for metric name "x" (1:25)',
      'PromQL warning: bucket label "le" is missing or has a malformed value of "one" for metric name "x_bucket" (1:25)',
    ]);
  });

  it('needs a +Inf bucket', () => {
    assert.ok(Number.isNaN(bucketQuantile(0.5, [{ upperBound: 1, count: 1 }]).value));
  });
});

describe('histogram_quantiles', () => {
  it('labels each quantile', () => {
    const q = 'histogram_quantiles(testhistogram3_bucket, "q", 0, 0.25)';
    const got = runInstant(q, [positive, 'q', 0, 0.25]);
    assert.deepEqual(
      got.map((s) => s.metric.get('q')),
      ['0.0', '0.25'],
    );
    near(got[0]?.f, 0);
    near(got[1]?.f, 0.055);
  });

  it('formats quantile labels as OpenMetrics floats', () => {
    for (const [f, s] of [
      [0, '0.0'],
      [1, '1.0'],
      [-0.1, '-0.1'],
      [1e21, '1e+21'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, '+Inf'],
      [100, '100.0'],
      [0.00001, '1e-05'],
    ] as const) {
      assert.equal(formatOpenMetricsFloat(f), s);
    }
  });
});

describe('histogram_fraction', () => {
  // testhistogram2 at 50m: q(1/6), q(1/2) and q(5/6) mid-bucket.
  const h2 = buckets('testhistogram2_bucket', {}, [
    ['0', 0],
    ['2', 10],
    ['4', 20],
    ['6', 30],
    ['+Inf', 30],
  ]);
  for (const [lower, upper, want] of [
    [0, 4, 0.6666666666666666],
    [0, 6, 1],
    [0, 3.5, 0.5833333333333334],
    [2, 2, 0],
    [3, 2, 0],
    [Number.NaN, 1, Number.NaN],
    [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1],
  ] as const) {
    it(`(${lower}, ${upper})`, () => {
      const got = runInstant('histogram_fraction(0, 1, x)', [lower, upper, h2]).map((s) => s.f);
      assert.deepEqual(got, [want]);
      assert.deepEqual(
        bucketFraction(lower, upper, [
          { upperBound: 0, count: 0 },
          { upperBound: Number.POSITIVE_INFINITY, count: 0 },
        ]),
        Number.NaN,
      );
    });
  }
});

describe('native-histogram functions on floats', () => {
  it('return nothing', () => {
    for (const q of [
      'histogram_count(x)',
      'histogram_sum(x)',
      'histogram_avg(x)',
      'histogram_stddev(x)',
      'histogram_stdvar(x)',
    ]) {
      assert.deepEqual(runInstant(q, [[sample({}, 1)]]), []);
    }
  });
});
