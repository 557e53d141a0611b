import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiParams,
  limitParam,
  maxTimeMs,
  minTimeMs,
  parseApiDurationNs,
  parseMatcherSets,
  parseTimeMs,
  timeParam,
} from './query-params.ts';

describe('API time parameters', () => {
  const cases: [string, number][] = [
    ['1435781451.781', 1435781451781],
    ['1435781451', 1435781451000],
    ['1435781451.7815', 1435781451782],
    ['-1.5', -1500],
    ['0', 0],
    ['1e3', 1_000_000],
    ['.5', 500],
    ['2015-07-01T20:10:51.781Z', 1435781451781],
    ['2015-07-01T20:10:51Z', 1435781451000],
    ['2015-07-01T22:10:51.781+02:00', 1435781451781],
    ['2015-07-01T18:10:51.781-02:00', 1435781451781],
    ['2015-07-01T20:10:51.781999999Z', 1435781451781],
    ['2015-07-01T20:10:51.7Z', 1435781451700],
    ['1969-12-31T23:59:59.5Z', -500],
    ['2000-02-29T00:00:00Z', 951782400000],
    ['0001-01-01T00:00:00Z', -62135596800000],
    ['-292273086-05-16T16:47:06Z', minTimeMs],
    ['292277025-08-18T07:12:54.999999999Z', maxTimeMs],
  ];
  for (const [text, ms] of cases) {
    it(`reads ${text}`, () => assert.equal(parseTimeMs(text), ms));
  }

  for (const text of [
    'yesterday',
    '',
    '2015-02-29T00:00:00Z',
    '2015-07-01 20:10:51Z',
    '2015-07-01T24:00:00Z',
    '1e400',
  ]) {
    it(`refuses ${JSON.stringify(text)} in upstream's words`, () =>
      assert.throws(() => parseTimeMs(text), { message: `cannot parse "${text}" to a valid timestamp` }));
  }

  it('defaults an absent time and prefixes an invalid one as parseTimeParam does', () => {
    assert.equal(timeParam(ApiParams.fromQuery(''), 'time', 42), 42);
    assert.equal(timeParam(ApiParams.fromQuery('time='), 'time', 42), 42);
    assert.throws(() => timeParam(ApiParams.fromQuery('time=soon'), 'time', 0), {
      errorType: 'bad_data',
      status: 400,
      message: `invalid parameter "time": invalid time value for 'time': cannot parse "soon" to a valid timestamp`,
    });
  });
});

describe('API durations', () => {
  const cases: [string, number][] = [
    ['15s', 15e9],
    ['1m', 60e9],
    ['1h30m', 5400e9],
    ['1.5', 1.5e9],
    ['30', 30e9],
    ['0', 0],
    ['-5', -5e9],
    ['0.000000001', 1],
  ];
  for (const [text, ns] of cases) {
    it(`reads ${text}`, () => assert.equal(parseApiDurationNs(text), ns));
  }
  it('refuses what Prometheus refuses, in its words', () => {
    assert.throws(() => parseApiDurationNs('abc'), { message: 'cannot parse "abc" to a valid duration' });
    assert.throws(() => parseApiDurationNs(''), { message: 'cannot parse "" to a valid duration' });
    assert.throws(() => parseApiDurationNs('1e30'), {
      message: 'cannot parse "1e30" to a valid duration. It overflows int64',
    });
    assert.throws(() => parseApiDurationNs('5m1h'), { message: 'cannot parse "5m1h" to a valid duration' });
  });
});

describe('API limits and selectors', () => {
  it('reads limit as strconv.Atoi does', () => {
    assert.equal(limitParam(ApiParams.fromQuery('')), 0);
    assert.equal(limitParam(ApiParams.fromQuery('limit=7')), 7);
    assert.equal(limitParam(ApiParams.fromQuery('limit=%2B3')), 3);
    assert.throws(() => limitParam(ApiParams.fromQuery('limit=abc')), {
      message: 'invalid parameter "limit": strconv.Atoi: parsing "abc": invalid syntax',
    });
    assert.throws(() => limitParam(ApiParams.fromQuery('limit=-1')), {
      message: 'invalid parameter "limit": limit must be non-negative',
    });
    assert.throws(() => limitParam(ApiParams.fromQuery('limit=99999999999999999999')), {
      message: 'invalid parameter "limit": strconv.Atoi: parsing "99999999999999999999": value out of range',
    });
  });

  it('parses every selector before requiring a non-empty matcher in each', () => {
    assert.equal(parseMatcherSets(['up', '{job="x"}']).length, 2);
    assert.throws(() => parseMatcherSets(['{job=~".*"}']), {
      message: 'match[] must contain at least one non-empty matcher',
    });
    assert.throws(() => parseMatcherSets(['{}', 'up{']), { message: /^1:4: parse error: unexpected end of input/ });
  });

  it('gives form values as Go does: first value, all values, empty when absent', () => {
    const p = ApiParams.fromQuery('match[]=a&match[]=b&query=x');
    assert.equal(p.get('query'), 'x');
    assert.equal(p.get('time'), '');
    assert.deepEqual(p.all('match[]'), ['a', 'b']);
  });
});
