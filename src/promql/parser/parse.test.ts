import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpExpr } from './ast-dump.ts';
import { formatProblem, ParseError } from './errors.ts';
import { parseCases } from './parse-cases.ts';
import { parseExpr, parseMetricSelector } from './parser.ts';
import { allFeatures } from './parser-state.ts';
import { exprToString } from './printer.ts';

describe('parseExpr (upstream parse_test.go cases)', () => {
  it('has at least 150 cases', () => assert.ok(parseCases.length >= 150, `${parseCases.length} cases`));
  for (const c of parseCases) {
    it(JSON.stringify(c.input), () => {
      const options = c.options === 'none' ? {} : allFeatures;
      if (c.errors === undefined) {
        const expr = parseExpr(c.input, options);
        assert.equal(dumpExpr(expr), c.tree);
        const again = parseExpr(exprToString(expr), options);
        assert.equal(dumpExpr(again, { positions: false }), dumpExpr(expr, { positions: false }), 'printed form');
        return;
      }
      let caught: unknown;
      try {
        parseExpr(c.input, options);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof ParseError, 'expected a ParseError');
      assert.equal(caught.code, 'PROMQL_PARSE');
      const got = caught.problems.map((p) => [p.message, p.positionRange.start, p.positionRange.end]);
      assert.deepEqual(got, c.errors);
      const [message, start, end] = c.errors[0] as readonly [string, number, number];
      assert.equal(caught.message, formatProblem(c.input, { positionRange: { start, end }, message }));
    });
  }
});

describe('large inputs', () => {
  it('reports every error of a long query without re-rendering it (upstream fuzzing regression)', () => {
    const input = `(${'-{}-1'.repeat(10000)})${'[1m:]'.repeat(1000)}`;
    let caught: unknown;
    try {
      parseExpr(input);
    } catch (e) {
      caught = e;
    }
    assert.ok(caught instanceof ParseError);
    const ranges = caught.problems.map((p) => [p.message, p.positionRange.start, p.positionRange.end]);
    assert.equal(ranges.length, 10999);
    const empty = 'vector selector must contain at least one non-empty matcher';
    const matrix = 'subquery is only allowed on instant vector, got matrix instead';
    assert.deepEqual(ranges[0], [empty, 2, 4]);
    assert.deepEqual(ranges[9999], [empty, 2 + 9999 * 5, 4 + 9999 * 5]);
    assert.deepEqual(ranges[10000], [matrix, 0, 50012]);
    assert.deepEqual(ranges[10998], [matrix, 0, 50012 + 998 * 5]);
  });

  it('parses and checks long operator chains', () => {
    const chain = Array(20000).fill('a').join(' or ');
    assert.equal(exprToString(parseExpr(chain)), chain);
  });

  it('rejects nesting deeper than the stack allows with a ParseError', () => {
    const input = `${'('.repeat(20000)}1${')'.repeat(20000)}`;
    assert.throws(() => parseExpr(input), {
      name: 'ParseError',
      message: '1:1: parse error: expression is nested too deeply',
    });
  });
});

describe('parse error messages', () => {
  const cases: Array<[string, string]> = [
    ['sum (some_metric) without (test) by (test)', '1:34: parse error: unexpected <by>'],
    ['foo{a="b"}\n  + bar{', '2:9: parse error: unexpected end of input inside braces'],
    ['', 'unknown position: parse error: no expression found in input'],
    ['"ü" + foo{', '1:12: parse error: unexpected end of input inside braces'],
  ];
  for (const [input, message] of cases) {
    it(JSON.stringify(input), () => assert.throws(() => parseExpr(input), { name: 'ParseError', message }));
  }
  it('reports line and column of each problem', () => {
    try {
      parseExpr('1 or on(bar)\n foo');
      assert.fail('parsed');
    } catch (e) {
      const pe = e as ParseError;
      assert.deepEqual(
        pe.problems.map((p) => [p.line, p.column]),
        [
          [1, 1],
          [1, 1],
        ],
      );
    }
  });
});

describe('parseMetricSelector', () => {
  const ok: Array<[string, string[]]> = [
    ['up', ['__name__="up"']],
    ['up{job="api", instance=~"a.*"}', ['job="api"', 'instance=~"a.*"', '__name__="up"']],
    ['{__name__=~"node_.*"}', ['__name__=~"node_.*"']],
    ['{"my.metric", "a.b"!="c"}', ['__name__="my.metric"', 'a.b!="c"']],
    ['{}', []],
  ];
  for (const [input, matchers] of ok) {
    it(input, () => {
      assert.deepEqual(
        parseMetricSelector(input).map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`),
        matchers,
      );
    });
  }
  const bad: Array<[string, string]> = [
    ['up[5m]', '1:3: parse error: unexpected "["'],
    ['sum(up)', '1:4: parse error: unexpected "("'],
    ['up{a=b}', '1:6: parse error: unexpected identifier "b" in label matching, expected string'],
    ['', 'unknown position: parse error: unexpected end of input'],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => parseMetricSelector(input), { message }));
  }
});
