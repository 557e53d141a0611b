import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { aggregate, checkAggregateParam } from './aggregate.ts';
import { context, findAggregate, httpRequests, line, run, vec } from './aggregate-testing.ts';
import { QueryExecutionError } from './errors.ts';

const sorted = (lines: string[]) => [...lines].sort();

describe('aggregate: sum, avg, count, min, max, group (aggregators.test)', () => {
  const cases: Array<[string, string[]]> = [
    ['sum by (group) (http_requests)', ['{group="canary"} 2200', '{group="production"} 1400']],
    ['avg by (group) (http_requests)', ['{group="canary"} 550', '{group="production"} 350']],
    ['count by (group) (http_requests)', ['{group="canary"} 4', '{group="production"} 4']],
    [
      'sum without (instance) (http_requests)',
      [
        '{group="canary", job="api-server"} 700',
        '{group="canary", job="app-server"} 1500',
        '{group="production", job="api-server"} 300',
        '{group="production", job="app-server"} 1100',
      ],
    ],
    ['sum by () (http_requests)', ['{} 3600']],
    ['sum(http_requests)', ['{} 3600']],
    ['sum(http_requests) by (job, nonexistent)', ['{job="api-server"} 1000', '{job="app-server"} 2600']],
    ['min(http_requests) by (job)', ['{job="api-server"} 100', '{job="app-server"} 500']],
    ['max(http_requests) by (job)', ['{job="api-server"} 400', '{job="app-server"} 800']],
    ['group by (job) (http_requests)', ['{job="api-server"} 1', '{job="app-server"} 1']],
    ['stdvar by (instance) (http_requests)', ['{instance="0"} 50000', '{instance="1"} 50000']],
    ['stdvar(http_requests)', ['{} 52499.99999999999']], // upstream's test allows for the rounding
  ];
  for (const [query, want] of cases) {
    it(query, () => assert.deepEqual(sorted(run(query, httpRequests).lines), sorted(want)));
  }

  it('keeps each group in the order of its first sample and outputs at ctx.ts', () => {
    const ctx = context('sum by (group) (x)', 1234);
    const out = aggregate(findAggregate('sum by (group) (x)'), null, httpRequests, ctx);
    assert.deepEqual(out.map(line), ['{group="canary"} 2200', '{group="production"} 1400']);
    assert.deepEqual(
      out.map((s) => s.t),
      [1234, 1234],
    );
  });

  it('sum without () keeps every label but the name', () => {
    const { lines } = run('sum without () (x)', httpRequests.slice(0, 2));
    assert.deepEqual(lines, [
      '{group="canary", instance="0", job="api-server"} 300',
      '{group="canary", instance="0", job="app-server"} 700',
    ]);
  });

  it('stddev is Welford’s algorithm', () => {
    const [s] = run('stddev(x)', httpRequests).out;
    assert.ok(Math.abs((s?.f ?? 0) - 229.12878474779) < 1e-9);
    const same = vec([
      [{ i: '0' }, 13.3],
      [{ i: '1' }, 13.3],
      [{ i: '2' }, 13.3],
    ]);
    assert.deepEqual(run('stddev(x)', same).lines, ['{} 0']);
  });

  const nanAndInf: Array<[string, number[], number]> = [
    ['max', [Number.NaN, 3, 4, 1, 2], 4],
    ['min', [Number.NaN, 3, 4, 1, 2], 1],
    ['max', [Number.NaN], Number.NaN],
    ['stddev', [1, 2, Number.NaN], Number.NaN],
    ['stdvar', [Number.NaN, 1, 2], Number.NaN],
    ['stdvar', [1, 2, Number.POSITIVE_INFINITY], Number.NaN],
    ['stddev', [Number.POSITIVE_INFINITY], Number.NaN],
    ['stddev', [1, 2], 0.5],
    ['avg', [0, Number.POSITIVE_INFINITY, 0, Number.POSITIVE_INFINITY], Number.POSITIVE_INFINITY],
    ['avg', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], Number.NaN],
    ['avg', [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, 0], Number.NEGATIVE_INFINITY],
    ['avg', [9.988465674311579e307, 9.988465674311579e307, 9.988465674311579e307], 9.988465674311579e307],
    ['avg', [-9.988465674311579e307, -9.988465674311579e307, 9.988465674311579e307, 9.988465674311579e307], 0],
    ['avg', [2, 8, 1e100, -1e100], 2.5],
    ['sum', [2, 8, 1e100, -1e100], 10],
    ['sum', [Number.POSITIVE_INFINITY, 2], Number.POSITIVE_INFINITY],
    ['sum', [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], Number.NaN],
    ['sum', [2, Number.NaN], Number.NaN],
    ['avg', [52, 52, 52, 52, 52, 52, 52, 52, 52, 52, 52, 52], 52],
    ['avg', [0.1, 0.2, 0.3], 0.2],
    ['sum', [0.1, 0.2, 0.3], 0.6],
    ['count', [Number.NaN, 1], 2],
    ['group', [Number.NaN, 5], 1],
  ];
  for (const [op, values, want] of nanAndInf) {
    it(`${op}(${values.join(', ')}) = ${want}`, () => {
      const input = vec(values.map((f, i) => [{ i: String(i).padStart(2, '0') }, f] as const));
      const [s] = run(`${op}(x)`, input).out;
      assert.ok(Object.is(s?.f, want), `got ${s?.f}`);
    });
  }
});

describe('aggregate: dropName (name_label_dropping.test)', () => {
  const input = vec([
    [{ __name__: 'metric_total', env: '1' }, 0.2, true],
    [{ __name__: 'another_metric_total', env: '1' }, 0.2, true],
  ]);

  it('groups by a to-be-dropped __name__ and marks the groups', () => {
    const { lines } = run('sum by (__name__) (rate(x[5m]))', input);
    assert.deepEqual(sorted(lines), [
      '{__name__="another_metric_total"} 0.2 drop',
      '{__name__="metric_total"} 0.2 drop',
    ]);
  });

  it('marks a group when any of its samples is to lose its name', () => {
    const mixed = vec([
      [{ __name__: 'metric_total', env: '1' }, 10],
      [{ __name__: 'metric_total', env: '2' }, 0.05, true],
    ]);
    assert.deepEqual(run('sum by (__name__) (x)', mixed).lines, ['{__name__="metric_total"} 10.05 drop']);
    assert.deepEqual(run('sum by (__name__) (x)', mixed.slice(0, 1)).lines, ['{__name__="metric_total"} 10']);
  });

  it('aggregates series that differ only in a to-be-dropped name', () => {
    assert.deepEqual(run('sum by (env) (x)', input).lines, ['{env="1"} 0.4 drop']);
  });
});

describe('aggregate: quantile', () => {
  const data = vec([
    [{ test: 'two samples', point: 'a' }, 0],
    [{ test: 'two samples', point: 'b' }, 1],
    [{ test: 'three samples', point: 'a' }, 0],
    [{ test: 'three samples', point: 'b' }, 1],
    [{ test: 'three samples', point: 'c' }, 2],
    [{ test: 'uneven samples', point: 'a' }, 0],
    [{ test: 'uneven samples', point: 'b' }, 1],
    [{ test: 'uneven samples', point: 'c' }, 4],
    [{ test: 'NaN sample', point: 'a' }, 0],
    [{ test: 'NaN sample', point: 'b' }, 1],
    [{ test: 'NaN sample', point: 'c' }, Number.NaN],
  ]);
  const cases: Array<[number, string[]]> = [
    [
      0.8,
      [
        '{test="NaN sample"} 0.6000000000000001',
        '{test="three samples"} 1.6',
        '{test="two samples"} 0.8',
        '{test="uneven samples"} 2.8000000000000003',
      ],
    ],
    [
      0.2,
      [
        '{test="NaN sample"} NaN',
        '{test="three samples"} 0.4',
        '{test="two samples"} 0.2',
        '{test="uneven samples"} 0.4',
      ],
    ],
    [
      Number.NaN,
      [
        '{test="NaN sample"} NaN',
        '{test="three samples"} NaN',
        '{test="two samples"} NaN',
        '{test="uneven samples"} NaN',
      ],
    ],
    [
      -1,
      [
        '{test="NaN sample"} -Infinity',
        '{test="three samples"} -Infinity',
        '{test="two samples"} -Infinity',
        '{test="uneven samples"} -Infinity',
      ],
    ],
  ];
  for (const [q, want] of cases) {
    it(`quantile without (point) (${q}, data)`, () => {
      assert.deepEqual(sorted(run('quantile without (point) (0.8, data)', data, q).lines), want);
    });
  }

  it('warns about φ outside [0, 1] at the parameter, as upstream formats it', () => {
    const query = 'quantile without(point)(NaN, data)';
    assert.deepEqual(run(query, data, Number.NaN).warnings, [
      'PromQL warning: quantile value should be between 0 and 1, got NaN (1:25)',
    ]);
    assert.deepEqual(run('quantile((1.5), data)', data, 1.5).warnings, [
      'PromQL warning: quantile value should be between 0 and 1, got 1.5 (1:11)',
    ]);
    assert.deepEqual(run('quantile(-1e-7, data)', data, -1e-7).warnings, [
      'PromQL warning: quantile value should be between 0 and 1, got -1e-07 (1:10)',
    ]);
    assert.deepEqual(run('quantile(1, data)', data, 1).warnings, []);
  });

  it('warns once per range with the extreme values when the range was checked', () => {
    const query = 'quantile(scalar(foo), data)';
    const e = findAggregate(query);
    const ctx = context(query);
    assert.equal(checkAggregateParam(e, [0.5, 2, 3, -0.5, -2], ctx), true);
    for (const q of [0.5, 2, 3, -0.5, -2]) aggregate(e, q, data, ctx);
    assert.deepEqual([...ctx.annotations.warnings].sort(), [
      'PromQL warning: quantile value should be between 0 and 1, got -2 (1:10)',
      'PromQL warning: quantile value should be between 0 and 1, got 3 (1:10)',
    ]);
  });

  it('gives -0 only when both interpolated values are -0, as Go’s sort leaves them', () => {
    const zeros = vec([
      [{ i: 'a' }, 0],
      [{ i: 'b' }, -0],
      [{ i: 'c' }, -0],
    ]);
    assert.ok(Object.is(run('quantile(0, x)', zeros, 0).out[0]?.f, 0));
    assert.ok(Object.is(run('quantile(0.5, x)', zeros.slice(1), 0.5).out[0]?.f, -0));
  });
});

describe('aggregate: count_values', () => {
  const version = vec([
    [{ __name__: 'version', job: 'api-server', instance: '0', group: 'production' }, 6],
    [{ __name__: 'version', job: 'api-server', instance: '1', group: 'production' }, 6],
    [{ __name__: 'version', job: 'api-server', instance: '2', group: 'production' }, 6],
    [{ __name__: 'version', job: 'api-server', instance: '0', group: 'canary' }, 8],
    [{ __name__: 'version', job: 'api-server', instance: '1', group: 'canary' }, 8],
    [{ __name__: 'version', job: 'app-server', instance: '0', group: 'production' }, 6],
    [{ __name__: 'version', job: 'app-server', instance: '1', group: 'production' }, 6],
    [{ __name__: 'version', job: 'app-server', instance: '0', group: 'canary' }, 7],
    [{ __name__: 'version', job: 'app-server', instance: '1', group: 'canary' }, 7],
  ]);
  const cases: Array<[string, string, string[]]> = [
    ['count_values("version", version)', 'version', ['{version="6"} 5', '{version="7"} 2', '{version="8"} 2']],
    [
      'count_values without (instance) ("version", version)',
      'version',
      [
        '{group="canary", job="api-server", version="8"} 2',
        '{group="canary", job="app-server", version="7"} 2',
        '{group="production", job="api-server", version="6"} 3',
        '{group="production", job="app-server", version="6"} 2',
      ],
    ],
    [
      'count_values without (instance) ("job", version)',
      'job',
      ['{group="canary", job="7"} 2', '{group="canary", job="8"} 2', '{group="production", job="6"} 5'],
    ],
    [
      'count_values by (job, group) ("job", version)',
      'job',
      ['{group="canary", job="7"} 2', '{group="canary", job="8"} 2', '{group="production", job="6"} 5'],
    ],
    ['count_values without (job, group, instance) ("__name__", version)', '__name__', ['{} 9']],
    [
      'count_values by (__name__) ("__name__", version)',
      '__name__',
      ['{__name__="6"} 5', '{__name__="7"} 2', '{__name__="8"} 2'],
    ],
  ];
  for (const [query, label, want] of cases) {
    it(query, () => assert.deepEqual(sorted(run(query, version, label).lines), want));
  }

  it('drops the value label when `without` lists it', () => {
    const { lines } = run('count_values without (instance, v) ("v", version)', version, 'v');
    assert.deepEqual(sorted(lines), [
      '{group="canary", job="api-server"} 2',
      '{group="canary", job="app-server"} 2',
      '{group="production", job="api-server"} 3',
      '{group="production", job="app-server"} 2',
    ]);
  });

  it("prints values as strconv.FormatFloat(f, 'f', -1, 64)", () => {
    const odd = vec([
      [{ i: '0' }, 1e21],
      [{ i: '1' }, 1e-7],
      [{ i: '2' }, -0],
      [{ i: '3' }, Number.NaN],
      [{ i: '4' }, Number.NEGATIVE_INFINITY],
      [{ i: '5' }, 0.1],
    ]);
    assert.deepEqual(sorted(run('count_values("v", x)', odd, 'v').lines), [
      '{v="-0"} 1',
      '{v="-Inf"} 1',
      '{v="0.0000001"} 1',
      '{v="0.1"} 1',
      '{v="1000000000000000000000"} 1',
      '{v="NaN"} 1',
    ]);
  });

  it('rejects an invalid label name as upstream words it', () => {
    const e = findAggregate('count_values("a\\xc5z", version)');
    assert.throws(
      () => aggregate(e, 'a\udcc5z', version, context('')),
      (err: unknown) => err instanceof QueryExecutionError && err.message === 'invalid label name "a\\xc5z"',
    );
    assert.throws(() => aggregate(e, '', [], context('')), { message: 'invalid label name ""' });
  });

  it('accepts any UTF-8 label name', () => {
    const out = run('count_values("ü.x", version)', version.slice(0, 1), 'ü.x').out;
    assert.ok(out[0]?.metric.equals(Labels.fromObject({ 'ü.x': '8' })));
  });
});
