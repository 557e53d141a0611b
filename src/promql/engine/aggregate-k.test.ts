import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { aggregate, checkAggregateParam } from './aggregate.ts';
import { ratioKeeps, sampleOffset } from './aggregate-k.ts';
import { context, findAggregate, httpRequests, run, vec } from './aggregate-testing.ts';
import { QueryExecutionError } from './errors.ts';

const sorted = (lines: string[]) => [...lines].sort();

// aggregators.test's topk/bottomk data at 50m: the api-server production instance 2 is NaN.
const withNaN = vec([
  ...httpRequests.map((s) => [s.metric.toObject(), s.f] as const),
  [{ __name__: 'http_requests', job: 'api-server', instance: '2', group: 'production' }, Number.NaN],
]);
const apiProduction = withNaN.filter(
  (s) => s.metric.get('job') === 'api-server' && s.metric.get('group') === 'production',
);
const name = (i: string, group: string, job: string) =>
  `{__name__="http_requests", group="${group}", instance="${i}", job="${job}"}`;

describe('aggregate: topk and bottomk (aggregators.test)', () => {
  const ordered: Array<[string, number, ReturnType<typeof vec>, string[]]> = [
    [
      'topk(3, x)',
      3,
      withNaN,
      [
        `${name('1', 'canary', 'app-server')} 800`,
        `${name('0', 'canary', 'app-server')} 700`,
        `${name('1', 'production', 'app-server')} 600`,
      ],
    ],
    [
      'bottomk(3, x)',
      3,
      withNaN,
      [
        `${name('0', 'production', 'api-server')} 100`,
        `${name('1', 'production', 'api-server')} 200`,
        `${name('0', 'canary', 'api-server')} 300`,
      ],
    ],
    [
      'topk(3, x)',
      3,
      apiProduction,
      [
        `${name('1', 'production', 'api-server')} 200`,
        `${name('0', 'production', 'api-server')} 100`,
        `${name('2', 'production', 'api-server')} NaN`,
      ],
    ],
    [
      'bottomk(3, x)',
      3,
      apiProduction,
      [
        `${name('0', 'production', 'api-server')} 100`,
        `${name('1', 'production', 'api-server')} 200`,
        `${name('2', 'production', 'api-server')} NaN`,
      ],
    ],
    [
      'topk(9999999999, x)',
      9999999999,
      apiProduction,
      [
        `${name('1', 'production', 'api-server')} 200`,
        `${name('0', 'production', 'api-server')} 100`,
        `${name('2', 'production', 'api-server')} NaN`,
      ],
    ],
    [
      'topk(2.9, x)',
      2.9,
      apiProduction,
      [`${name('1', 'production', 'api-server')} 200`, `${name('0', 'production', 'api-server')} 100`],
    ],
    ['topk(0, x)', 0, withNaN, []],
    ['bottomk(-1, x)', -1, withNaN, []],
    ['topk(0.9, x)', 0.9, withNaN, []],
  ];
  for (const [query, k, input, want] of ordered) {
    it(`${query} over ${input.length} series`, () => assert.deepEqual(run(query, input, k).lines, want));
  }

  it('topk by (group) keeps one per group', () => {
    assert.deepEqual(sorted(run('topk by (group) (1, x)', withNaN, 1).lines), [
      `${name('1', 'canary', 'app-server')} 800`,
      `${name('1', 'production', 'app-server')} 600`,
    ]);
  });

  it('bottomk by (instance) ranks NaN last but keeps it when alone', () => {
    assert.deepEqual(sorted(run('bottomk by (instance) (1, x)', withNaN, 1).lines), [
      `${name('0', 'production', 'api-server')} 100`,
      `${name('1', 'production', 'api-server')} 200`,
      `${name('2', 'production', 'api-server')} NaN`,
    ]);
  });

  it('keeps the input sample’s labels and dropName', () => {
    const input = vec([
      [{ __name__: 'metric_total', env: '1' }, 0.2, true],
      [{ __name__: 'metric_total', env: '2' }, 0.1],
    ]);
    const out = run('topk(10, x)', input, 10).out;
    assert.deepEqual(
      out.map((s) => [s.metric.toString(), s.dropName]),
      [
        ['{__name__="metric_total", env="1"}', true],
        ['{__name__="metric_total", env="2"}', false],
      ],
    );
  });

  it('orders ties as Go’s heap and sort do', () => {
    const ties = vec(Array.from({ length: 20 }, (_, i) => [{ i: String(i).padStart(2, '0') }, i % 3] as const));
    const ids = (q: string, k: number) => run(q, ties, k).out.map((s) => s.metric.get('i'));
    // Worked out with Go 1.19's container/heap and sort.Sort on the same input.
    assert.deepEqual(ids('topk(5, x)', 5), ['14', '11', '02', '05', '08']);
    assert.deepEqual(ids('bottomk(4, x)', 4), ['09', '00', '06', '03']);
  });
});

describe('aggregate: limitk and limit_ratio (limit.test)', () => {
  it('limitk takes the first k of each group in input order', () => {
    const lines = run('limitk by (group) (1, x)', httpRequests, 1).lines;
    assert.deepEqual(lines, [
      `${name('0', 'canary', 'api-server')} 300`,
      `${name('0', 'production', 'api-server')} 100`,
    ]);
    assert.equal(run('limitk(100, x)', httpRequests, 100).out.length, 8);
    assert.equal(run('limitk by (group) (2, x)', httpRequests, 2).out.length, 4);
    assert.deepEqual(run('limitk(0, x)', httpRequests, 0).out, []);
  });

  it('limitk lists a group in heap order', () => {
    const input = vec([
      [{ i: 'a' }, 3],
      [{ i: 'b' }, 1],
      [{ i: 'c' }, 2],
    ]);
    assert.deepEqual(
      run('limitk(3, x)', input, 3).out.map((s) => s.f),
      [1, 3, 2],
    );
  });

  // The eight series of limit.test; their offsets were computed with xxhsum over the stringlabels encoding.
  const eight = vec(
    ['0', '1', '0', '1', '2', '3', 'histogram_1', 'histogram_2'].map(
      (instance, i) =>
        [
          { __name__: 'http_requests', job: 'api-server', instance, group: i < 2 ? 'production' : 'canary' },
          i,
        ] as const,
    ),
  );

  it('places series by their label hash', () => {
    const offsets = Object.fromEntries(
      eight.map((s) => [`${s.metric.get('group')}/${s.metric.get('instance')}`, sampleOffset(s.metric)]),
    );
    assert.deepEqual(offsets, {
      'production/0': 0.09456038582361823,
      'production/1': 0.09967529271752745,
      'canary/0': 0.9782463706693543,
      'canary/1': 0.2047467588166679,
      'canary/2': 0.86158214749638,
      'canary/3': 0.32521287713803193,
      'canary/histogram_1': 0.5298450788620908,
      'canary/histogram_2': 0.15600858441100363,
    });
    assert.equal(sampleOffset(Labels.empty), 0.9346749315317059);
  });

  it('keeps the ratio’s share, a negative ratio the complement', () => {
    const count = (r: number) => run('limit_ratio(0.5, x)', eight, r).out.length;
    assert.equal(count(0.5), 5);
    assert.equal(count(1), 8);
    assert.equal(count(-1), 8);
    assert.equal(count(0), 0);
    for (const r of [0.2, 0.5, 0.8, 5 / 17, 11 / 17]) {
      for (const s of eight) assert.notEqual(ratioKeeps(r, s.metric), ratioKeeps(-(1 - r), s.metric), `${r}`);
    }
  });

  it('caps the ratio and warns at the parameter', () => {
    const query = 'count(limit_ratio(1.1, http_requests) and http_requests)';
    const r = run(query, eight, 1.1, 'limit_ratio');
    assert.equal(r.out.length, 8);
    assert.deepEqual(r.warnings, [
      'PromQL warning: ratio value should be between -1 and 1, got 1.1, capping to 1 (1:19)',
    ]);
    const neg = run(query.replace('1.1', '-1.1'), eight, -1.1, 'limit_ratio');
    assert.equal(neg.out.length, 8);
    assert.deepEqual(neg.warnings, [
      'PromQL warning: ratio value should be between -1 and 1, got -1.1, capping to -1 (1:19)',
    ]);
  });
});

describe('aggregate: parameter errors', () => {
  const cases: Array<[string, number, string]> = [
    ['topk(NaN, non_existent)', Number.NaN, 'Parameter value is NaN'],
    ['bottomk(NaN, non_existent)', Number.NaN, 'Parameter value is NaN'],
    ['limitk(NaN, non_existent)', Number.NaN, 'Parameter value is NaN'],
    ['limit_ratio(NaN, non_existent)', Number.NaN, 'Ratio value is NaN'],
    ['topk(1e19, x)', 1e19, 'Scalar value 1e+19 overflows int64'],
    ['topk(Inf, x)', Number.POSITIVE_INFINITY, 'Scalar value +Inf overflows int64'],
  ];
  for (const [query, param, message] of cases) {
    it(`${query} fails with "${message}", even without input`, () => {
      const e = findAggregate(query);
      assert.throws(
        () => aggregate(e, param, [], context(query)),
        (err: unknown) => err instanceof QueryExecutionError && err.message === message,
      );
    });
  }

  it('checks a range as upstream: extremes over all steps, nothing when every k is below 1', () => {
    const e = findAggregate('topk(scalar(foo), x)');
    assert.equal(checkAggregateParam(e, [0, -1e30, 0.5], context('')), false);
    assert.throws(() => checkAggregateParam(e, [2, -1e30], context('')), {
      message: 'Scalar value -1e+30 underflows int64',
    });
    assert.throws(() => checkAggregateParam(e, [0, Number.NaN], context('')), { message: 'Parameter value is NaN' });
    const ctx = context('');
    assert.equal(checkAggregateParam(e, [1, 2, 3], ctx), true);
    assert.equal(aggregate(e, 2, httpRequests, ctx).length, 2);
  });
});
