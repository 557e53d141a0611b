import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { allFeatures, parseExpr } from '../parser/index.ts';
import type { EvalCommand, LoadCommand } from './commands.ts';
import { parseTestFile } from './parse.ts';
import { UnsupportedSeries } from './unsupported.ts';

function setup(text: string): { unsupported: UnsupportedSeries; reason: (expr: string) => string | null } {
  const unsupported = new UnsupportedSeries();
  for (const c of parseTestFile(text, 't.test')) if (c.kind === 'load') unsupported.recordLoad(c as LoadCommand);
  const reason = (expr: string) => {
    const cmd = parseTestFile(`eval instant at 0 ${expr}`, 't.test')[0] as EvalCommand;
    return unsupported.skipReason(cmd, parseExpr(expr, allFeatures));
  };
  return { unsupported, reason };
}

describe('UnsupportedSeries', () => {
  test('native histogram series are matched by the selectors of an eval', () => {
    const { unsupported, reason } = setup(
      ['load 1m', '  m{kind="float"} 1 2', '  m{kind="hist"} 1 {{count:1}}', '  other 1'].join('\n'),
    );
    assert.equal(reason('m{kind="float"}'), null);
    assert.equal(reason('sum(rate(m[5m]))'), 'native histograms');
    assert.equal(reason('other + on() group_left count({__name__=~"m|x"})'), 'native histograms');
    assert.equal(reason('other'), null);
    unsupported.clear();
    assert.equal(reason('m'), null);
  });

  test('load_with_nhcb records X from X_bucket/X_count/X_sum, minus le', () => {
    const { reason } = setup(
      [
        'load_with_nhcb 1m',
        '  h_bucket{le="1", job="a"} 1',
        '  h_bucket{le="+Inf", job="a"} 2',
        '  h_count{job="a"} 2',
      ].join('\n'),
    );
    assert.equal(reason('h_bucket'), null);
    assert.equal(reason('h_count'), null);
    assert.equal(reason('histogram_quantile(0.5, h{job="a"})'), 'native histograms');
    assert.equal(reason('h{le="1"}'), null);
  });

  test('start timestamps, info() and expected histograms', () => {
    const { reason } = setup(
      ['load 1m', '  c{t="st"}@st 0s', '  c{t="st"} 1', '  target_info{job="a"} {{count:1}}'].join('\n'),
    );
    assert.equal(reason('rate(c[5m])'), 'start timestamps');
    assert.equal(reason('info(c{t="x"})'), 'native histograms');
    const u = new UnsupportedSeries();
    const cmd = parseTestFile('eval instant at 0 vector(1)\n  {} {{count:1}}', 't.test')[0] as EvalCommand;
    assert.equal(u.skipReason(cmd, parseExpr('vector(1)', allFeatures)), 'native histograms');
  });
});
