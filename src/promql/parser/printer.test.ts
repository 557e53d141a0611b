import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dumpExpr } from './ast-dump.ts';
import { parseExpr } from './parser.ts';
import { allFeatures } from './parser-state.ts';
import { exprToString } from './printer.ts';

// [input, printed]; printed '' means the input is already canonical. The first block is upstream's printer_test.go.
const cases: ReadonlyArray<readonly [string, string]> = [
  ['sum by() (task:errors:rate10s{job="s"})', 'sum(task:errors:rate10s{job="s"})'],
  ['sum by(code) (task:errors:rate10s{job="s"})', 'sum by (code) (task:errors:rate10s{job="s"})'],
  ['sum without() (task:errors:rate10s{job="s"})', 'sum without () (task:errors:rate10s{job="s"})'],
  ['sum without(instance) (task:errors:rate10s{job="s"})', 'sum without (instance) (task:errors:rate10s{job="s"})'],
  ['topk(5, task:errors:rate10s{job="s"})', ''],
  ['count_values("value", task:errors:rate10s{job="s"})', ''],
  ['a - on() c', 'a - on () c'],
  ['a - on(b) c', 'a - on (b) c'],
  ['a - on(b) group_left(x) c', 'a - on (b) group_left (x) c'],
  ['a - on(b) group_left(x, y) c', 'a - on (b) group_left (x, y) c'],
  ['a - on(b) group_left c', 'a - on (b) group_left () c'],
  ['a - on(b) group_left() (c)', 'a - on (b) group_left () (c)'],
  ['a - ignoring(b) c', 'a - ignoring (b) c'],
  ['a - ignoring() c', 'a - c'],
  ['up > bool 0', ''],
  ['a offset 1m', ''],
  ['a offset -7m', ''],
  ['a{c="d"}[5m] offset 1m', ''],
  ['a[5m] offset 1m', ''],
  ['a[12m] offset -3m', ''],
  ['a[1h:5m] offset 1m', ''],
  ['{__name__="a"}', ''],
  ['a{b!="c"}[1m]', ''],
  ['a{b=~"c"}[1m]', ''],
  ['a{b!~"c"}[1m]', ''],
  ['a @ 10', 'a @ 10.000'],
  ['a[1m] @ 10', 'a[1m] @ 10.000'],
  ['a @ start()', ''],
  ['a @ end()', ''],
  ['a[1m] @ start()', ''],
  ['a[1m] @ end()', ''],
  // Beyond upstream's table: current grammar, quoting, numbers, durations.
  ['rate(foo[2*1h])', 'rate(foo[2 * 1h])'],
  ['rate(foo[-5m+35m])', 'rate(foo[-5m + 35m])'],
  ['foo offset -step()*2', 'foo offset -step() * 2'],
  ['foo offset (step()/10)', 'foo offset (step() / 10)'],
  ['foo[min_of(step()+1,1h):max_of(1m,range())]', 'foo[min_of(step() + 1, 1h):max_of(1m, range())]'],
  ['a + fill(0) b', 'a + fill (0) b'],
  ['a + fill_left(1) fill_right(2) b', 'a + fill_left (1) fill_right (2) b'],
  ['a + fill_right(1) fill_left(2) b', 'a + fill_left (2) fill_right (1) b'],
  ['a + fill_left(-1) fill_right(-1) b', 'a + fill (-1) b'],
  ['a + fill(NaN) b', 'a + fill (NaN) b'],
  ['a + fill(1e6) b', 'a + fill (1e+06) b'],
  ['a > bool on(x) group_left(y) fill(0) b', 'a > bool on (x) group_left (y) fill (0) b'],
  ['h_test </ 1.5', ''],
  ['h_test >/ -Inf', ''],
  ['foo[5m] anchored @ 10 offset 1m', 'foo[5m] anchored @ 10.000 offset 1m'],
  ['foo offset 1m smoothed', 'foo smoothed offset 1m'],
  [
    'sum by ("foo bar", job) ({"some.metric", "a.b"="c"})',
    'sum by ("foo bar", job) ({"a.b"="c",__name__="some.metric"})',
  ],
  ['sum by (foo:bar) (x)', 'sum by ("foo:bar") (x)'],
  ['1e21', '1000000000000000000000'],
  ['1e-7', '0.0000001'],
  ['0x10 + 0755', '16 + 493'],
  ['-Inf - NaN', ''],
  ['1m + 90d + 13w + 1y1d', '1m + 90d + 13w + 366d'],
  ['foo offset 1w1d', 'foo offset 8d'],
  ['foo[1h30m500ms]', ''],
  ['foo @ 1.5', 'foo @ 1.500'],
  ["'a\"b\\n'", '"a\\"b\\n"'],
  ['`a\\b`', '"a\\\\b"'],
  ['count_values("a\\xc5z", version)', ''],
  ['{a="\\u00e9\\x00"}', '{a="é\\x00"}'],
  ['min_of(1, 2) + step()', ''],
  ['-foo ^ 2', ''],
  ['-(foo ^ 2)', ''],
];

describe('exprToString', () => {
  for (const [input, printed] of cases) {
    it(input, () => {
      const expr = parseExpr(input, allFeatures);
      const out = exprToString(expr);
      assert.equal(out, printed === '' ? input : printed);
      const again = parseExpr(out, allFeatures);
      assert.equal(dumpExpr(again, { positions: false }), dumpExpr(expr, { positions: false }));
    });
  }
});
