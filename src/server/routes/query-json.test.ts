import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { parseExpr } from '../../promql/index.ts';
import { headStatus } from './admin-tsdb-stats.ts';
import { translateAst } from './query-ast.ts';
import {
  encodeJson,
  encodeLabels,
  encodeQueryData,
  goJsonString,
  marshalFloat,
  marshalTimestamp,
} from './query-json.ts';
import { labelNameParam } from './query-metadata.ts';

describe('Prometheus JSON', () => {
  it('writes sample timestamps as jsonutil.MarshalTimestamp', () => {
    const cases: [number, string][] = [
      [1435781451781, '1435781451.781'],
      [1500, '1.500'],
      [1050, '1.050'],
      [1000, '1'],
      [5, '0.005'],
      [0, '0'],
      [-1500, '-1.500'],
      [-5, '-0.005'],
    ];
    for (const [t, text] of cases) assert.equal(marshalTimestamp(t), text, String(t));
  });

  it('writes sample values as jsonutil.MarshalFloat', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [0.1, '0.1'],
      [-2.5, '-2.5'],
      [1e20, '100000000000000000000'],
      [1e21, '1e+21'],
      [1.5e-7, '1.5e-07'],
      [1e-6, '0.000001'],
      [5e-324, '5e-324'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, '+Inf'],
      [Number.NEGATIVE_INFINITY, '-Inf'],
    ];
    for (const [f, text] of cases) assert.equal(marshalFloat(f), text, String(f));
  });

  it('escapes strings as Go does, HTML characters except in label sets', () => {
    assert.equal(goJsonString('a<b>&"c"\\'), '"a\\u003cb\\u003e\\u0026\\"c\\"\\\\"');
    assert.equal(goJsonString('a<b', false), '"a<b"');
    assert.equal(goJsonString('\b\n\u2028\ud800x'), '"\\u0008\\n\\u2028\\ufffdx"');
    assert.equal(goJsonString('😀'), '"😀"');
    assert.equal(
      encodeLabels(Labels.fromObject({ __name__: 'up', job: 'a<b', '0': 'zero' })),
      '{"0":"zero","__name__":"up","job":"a<b"}',
    );
    assert.equal(encodeJson({ b: 1, a: [true, null, 'x'] }), '{"b":1,"a":[true,null,"x"]}');
  });

  it('encodes each result type in upstream shape', () => {
    const metric = Labels.fromObject({ __name__: 'up', job: 'x' });
    const vector = encodeQueryData({ type: 'vector', samples: [{ metric, t: 1500, f: 1, dropName: false }] });
    assert.equal(
      vector.json.text,
      '{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"x"},"value":[1.500,"1"]}]}',
    );
    const matrix = encodeQueryData({
      type: 'matrix',
      series: [{ metric, ts: [1000, 2000], fs: [1, 0.5], dropName: false }],
    });
    assert.equal(
      matrix.json.text.toString(),
      '{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"x"},"values":[[1,"1"],[2,"0.5"]]}]}',
    );
    const edges = encodeQueryData({
      type: 'matrix',
      series: [
        {
          metric: Labels.fromObject({ a: 'ü<"\\' }),
          ts: [-1500, 5, 50, 1_700_000_000_123, 0],
          fs: [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e-7, 1e21],
          dropName: false,
        },
        { metric: Labels.empty, ts: [1000], fs: [-12.5], dropName: false },
      ],
    });
    assert.equal(
      edges.json.text.toString(),
      '{"resultType":"matrix","result":[{"metric":{"a":"ü<\\"\\\\"},"values":[[-1.500,"NaN"],[0.005,"+Inf"],[0.050,"-0"],[1700000000.123,"1e-07"],[0,"1e+21"]]},{"metric":{},"values":[[1,"-12.5"]]}]}',
    );
    assert.equal(
      encodeQueryData({ type: 'scalar', t: 1500, v: 1e21 }).json.text,
      '{"resultType":"scalar","result":[1.5,"1000000000000000000000"]}',
    );
    assert.equal(
      encodeQueryData({ type: 'string', t: 4000, v: 'a<b' }).json.text,
      '{"resultType":"string","result":[4,"a\\u003cb"]}',
    );
  });

  it('keeps the first series up to a limit and says it truncated', () => {
    const s = (job: string) => ({ metric: Labels.fromObject({ job }), t: 0, f: 1, dropName: false });
    const v = encodeQueryData({ type: 'vector', samples: [s('a'), s('b'), s('c')] }, 2);
    assert.equal(v.truncated, true);
    assert.equal(JSON.parse(v.json.text.toString()).result.length, 2);
    assert.equal(encodeQueryData({ type: 'vector', samples: [s('a'), s('b')] }, 2).truncated, false);
    assert.equal(encodeQueryData({ type: 'vector', samples: [s('a'), s('b')] }, 0).truncated, false);
  });
});

describe('label names in /label/<name>/values', () => {
  const cases: [string, string][] = [
    ['job', 'job'],
    ['%6Aob', 'job'],
    ['U__http_2e_method', 'http.method'],
    ['U__a__b', 'a_b'],
    ['U__smile_1f600_', 'smile😀'],
    ['U__bad_zz_', 'U__bad_zz_'],
    ['U__a_', 'U__a_'],
    ['%E2%82%AC', '€'],
  ];
  for (const [segment, name] of cases) it(`reads ${segment}`, () => assert.equal(labelNameParam(segment), name));

  it('refuses names that are not UTF-8, quoting their bytes as Go', () => {
    assert.throws(() => labelNameParam('%FF'), { status: 400, message: 'invalid label name: "\\xff"' });
    assert.throws(() => labelNameParam('a%C3'), { message: 'invalid label name: "a\\xc3"' });
    assert.throws(() => labelNameParam('U__'), { message: 'invalid label name: ""' });
  });
});

describe('parse_query trees', () => {
  it('translates as translate_ast.go', () => {
    const tree = translateAst(parseExpr('sum by (job) (rate(foo{a="b"}[5m] offset 1m)) > bool 2'));
    assert.deepEqual(tree, {
      type: 'binaryExpr',
      op: '>',
      lhs: {
        type: 'aggregation',
        op: 'sum',
        expr: {
          type: 'call',
          func: { name: 'rate', argTypes: ['matrix'], variadic: 0, returnType: 'vector' },
          args: [
            {
              type: 'matrixSelector',
              name: 'foo',
              range: 300_000,
              rangeExpr: null,
              offset: 60_000,
              offsetExpr: null,
              matchers: [
                { name: 'a', value: 'b', type: '=' },
                { name: '__name__', value: 'foo', type: '=' },
              ],
              timestamp: null,
              startOrEnd: null,
              anchored: false,
              smoothed: false,
            },
          ],
        },
        param: null,
        grouping: ['job'],
        without: false,
      },
      rhs: { type: 'numberLiteral', val: '2' },
      matching: null,
      bool: true,
    });
  });

  it('translates vector matching, subqueries, @ and duration expressions', () => {
    const m = translateAst(parseExpr('a * on (x) group_left (y) b')) as { matching: unknown };
    assert.deepEqual(m.matching, {
      card: 'many-to-one',
      labels: ['x'],
      on: true,
      include: ['y'],
      fillValues: { lhs: null, rhs: null },
    });
    const sq = translateAst(parseExpr('foo[5m:1m] @ end()'));
    assert.deepEqual(sq, {
      type: 'subquery',
      expr: {
        type: 'vectorSelector',
        name: 'foo',
        offset: 0,
        offsetExpr: null,
        matchers: [{ name: '__name__', value: 'foo', type: '=' }],
        timestamp: null,
        startOrEnd: null,
        anchored: false,
        smoothed: false,
      },
      range: 300_000,
      rangeExpr: null,
      offset: 0,
      offsetExpr: null,
      step: 60_000,
      stepExpr: null,
      timestamp: null,
      startOrEnd: 'end',
    });
    const d = translateAst(parseExpr('foo[5m+1m] offset (10m/2)', { experimentalDurationExpr: true })) as Record<
      string,
      unknown
    >;
    assert.equal(d.range, 0);
    assert.deepEqual(d.rangeExpr, {
      type: 'durationExpr',
      op: '+',
      lhs: { type: 'numberLiteral', val: '300', duration: true },
      rhs: { type: 'numberLiteral', val: '60', duration: true },
      wrapped: false,
    });
    assert.deepEqual(d.offsetExpr, {
      type: 'durationExpr',
      op: '/',
      lhs: { type: 'numberLiteral', val: '600', duration: true },
      rhs: { type: 'numberLiteral', val: '2', duration: false },
      wrapped: true,
    });
    const st = translateAst(parseExpr('foo offset -(step()+8s)', { experimentalDurationExpr: true })) as {
      offsetExpr: { op: string; lhs: unknown; rhs: { op: string; lhs: { op: string } } };
    };
    assert.equal(st.offsetExpr.op, '-');
    assert.equal(st.offsetExpr.lhs, null);
    assert.equal(st.offsetExpr.rhs.lhs.op, 'step');
  });
});

describe('TSDB status', () => {
  it('lists the largest entries of the head index, as MemPostings.Stats', () => {
    const pairs: Record<string, Record<string, number>> = {
      __name__: { up: 3, http_requests_total: 5 },
      job: { api: 6, db: 2 },
      instance: { a: 4, b: 4 },
    };
    const status = headStatus(
      {
        numSeries: 8,
        chunkCount: 9,
        minTime: 1000,
        maxTime: 2000,
        postings: {
          labelNames: () => Object.keys(pairs),
          labelValues: (n) => Object.keys(pairs[n] ?? {}),
          count: (n, v) => pairs[n]?.[v] ?? 0,
        },
      },
      2,
    );
    assert.deepEqual(status.headStats, { numSeries: 8, numLabelPairs: 6, chunkCount: 9, minTime: 1000, maxTime: 2000 });
    assert.deepEqual(status.seriesCountByMetricName, [
      { name: 'http_requests_total', value: 5 },
      { name: 'up', value: 3 },
    ]);
    assert.deepEqual(status.labelValueCountByLabelName, [
      { name: '__name__', value: 2 },
      { name: 'instance', value: 2 },
    ]);
    assert.deepEqual(status.seriesCountByLabelValuePair, [
      { name: 'job=api', value: 6 },
      { name: '__name__=http_requests_total', value: 5 },
    ]);
    // (1 + len(name) + 1 + len(value)) × series, summed over the values of a name.
    assert.deepEqual(status.memoryInBytesByLabelName, [
      { name: '__name__', value: (1 + 8 + 1 + 2) * 3 + (1 + 8 + 1 + 19) * 5 },
      { name: 'instance', value: (1 + 8 + 1 + 1) * 8 },
    ]);
  });
});
