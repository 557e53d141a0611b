import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStaleNaN, Labels } from '../../model/index.ts';
import { parseSeriesDesc, type SequenceValue, SeriesDescError } from './series-desc.ts';

/** Floats as numbers, `_` as null, histograms as their text, stale markers as 'stale'. */
function values(text: string): Array<number | string | null> {
  return parseSeriesDesc(`m ${text}`).values.map((v: SequenceValue) =>
    v.kind === 'omitted' ? null : v.kind === 'histogram' ? v.text : isStaleNaN(v.value) ? 'stale' : v.value,
  );
}

describe('series description values', () => {
  const cases: Array<[string, Array<number | string | null>]> = [
    ['1 2 3', [1, 2, 3]],
    ['0+10x3', [0, 10, 20, 30]],
    ['10-2x2', [10, 8, 6]],
    ['-1-1x2', [-1, -2, -3]],
    ['1.5e1+.5x1', [15, 15.5]],
    ['5x2', [5, 5, 5]],
    ['0x59', new Array(60).fill(0)],
    ['_', [null]],
    ['_x3', [null, null, null]],
    ['1 _x2 stale 2', [1, null, null, 'stale', 2]],
    ['Inf -Inf +Inf NaN nan', [Infinity, -Infinity, Infinity, Number.NaN, Number.NaN]],
    ['NaN+1x1', [Number.NaN, Number.NaN]],
    ['{{schema:1 sum:3 count:22 buckets:[5 10 7]}}', ['{{schema:1 sum:3 count:22 buckets:[5 10 7]}}']],
    ['{{count:1}}x2', ['{{count:1}}x2', '{{count:1}}x2', '{{count:1}}x2']],
    ['{{count:0}}+{{count:1}}x1 3', ['{{count:0}}+{{count:1}}x1', '{{count:0}}+{{count:1}}x1', 3]],
    ['', []],
  ];
  for (const [text, want] of cases) {
    test(JSON.stringify(text), () => assert.deepEqual(values(text), want));
  }

  test('a+bxN adds repeatedly, as upstream', () => {
    let v = 0;
    const want: number[] = [];
    for (let i = 0; i <= 10; i++, v += 0.1) want.push(v);
    assert.deepEqual(values('0+0.1x10'), want);
    assert.notEqual(want[10], 1); // 0.9999999999999999
  });

  for (const bad of ['1+2', 'x3', '1x', '0x1F', 'Infx2', '1+Infx2', 'abc', '{{count:1}}+{{count:2}}', '1,2', '_x']) {
    test(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => values(bad), SeriesDescError));
  }
});

describe('series description labels', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['up', { __name__: 'up' }],
    ['up{job="a", instance="b",}', { __name__: 'up', job: 'a', instance: 'b' }],
    ['{}', {}],
    ['{job="a"}', { job: 'a' }],
    ['{ job = "a" , empty="" }', { job: 'a' }],
    ['{"metric.name", "label.x"="y"}', { __name__: 'metric.name', 'label.x': 'y' }],
    ['ns:rule_name{le="+Inf"}', { __name__: 'ns:rule_name', le: '+Inf' }],
    ['m{a="\\"q\\"\\n", b=\'x\', c=`\\raw`}', { __name__: 'm', a: '"q"\n', b: 'x', c: '\\raw' }],
  ];
  for (const [text, want] of cases) {
    test(text, () => {
      const d = parseSeriesDesc(`${text} 1`);
      assert.ok(d.labels.equals(Labels.fromObject(want)), d.labels.toString());
      assert.equal(d.values.length, 1);
    });
  }

  for (const bad of ['{a="b"', '{a}', '{a=b}', 'm{a="b"}1', '"m" 1', '{a="b" c="d"}']) {
    test(`rejects ${bad}`, () => assert.throws(() => parseSeriesDesc(bad), SeriesDescError));
  }
});
