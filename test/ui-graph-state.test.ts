// The Graph page's pure parts: durations, panel state in the URL, and where a query error points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPanel, parseDuration, readPanels, writePanels } from '../ui/pages/graph-state.ts';
import { errorRange, queryErrorText } from '../ui/pages/query-error.ts';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['3600ms', 3600],
    ['1d', 86_400_000],
    ['', undefined],
    ['5', undefined],
    ['m5', undefined],
    ['5m x', undefined],
  ];
  for (const [text, want] of cases) it(JSON.stringify(text), () => assert.equal(parseDuration(text), want));
});

describe('panels in the URL', () => {
  it('round-trips several panels', () => {
    const panels = [
      {
        expr: 'rate(x[5m]) > 1 & y',
        tab: 'table' as const,
        range: '6h',
        end: '2026-01-02T03:04:05.000Z',
        step: '30s',
        stacked: true,
      },
      defaultPanel('up'),
    ];
    assert.deepEqual(readPanels(writePanels(panels)), panels);
  });
  it('falls back to one empty panel and drops invalid ranges and steps', () => {
    assert.deepEqual(readPanels(''), [defaultPanel()]);
    assert.deepEqual(readPanels('?g0.expr=up&g0.range=forever&g0.step=often&g0.tab=pie'), [defaultPanel('up')]);
  });
});

describe('errorRange', () => {
  const cases: [string, string, string, { from: number; to: number } | undefined][] = [
    ['first column', 'sum(', '1:1: parse error: x', { from: 0, to: 1 }],
    ['middle', 'up + (foo', '1:6: parse error: unclosed left parenthesis', { from: 5, to: 6 }],
    ['end of input marks the last character', 'up + ', '1:6: parse error: unexpected end of input', { from: 4, to: 5 }],
    ['second line', 'up\n+ )', '2:3: parse error: unexpected ")"', { from: 5, to: 6 }],
    ['no position', 'up', 'query timed out', undefined],
    ['line out of range', 'up', '3:1: parse error: x', undefined],
  ];
  for (const [name, doc, message, want] of cases) it(name, () => assert.deepEqual(errorRange(doc, message), want));

  it('takes off the API parameter prefix', () => {
    assert.equal(queryErrorText('invalid parameter "query": 1:11: parse error: y'), '1:11: parse error: y');
  });
});
