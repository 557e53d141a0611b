import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Labels } from '../../model/index.ts';
import { type Command, type EvalCommand, type LoadCommand, TestSyntaxError } from './commands.ts';
import { parseTestFile } from './parse.ts';

function evals(text: string): EvalCommand[] {
  return parseTestFile(text, 't.test').filter((c): c is EvalCommand => c.kind === 'eval');
}

function only(text: string): EvalCommand {
  const [e] = evals(text);
  assert.ok(e !== undefined);
  return e;
}

describe('commands', () => {
  test('load, clear and eval with line numbers; comments and blank lines end blocks', () => {
    const cmds: Command[] = parseTestFile(
      [
        '# a comment',
        'load 1m',
        '  up{job="a"} 0+1x2',
        '  # ends the block',
        '',
        'clear',
        'load_with_nhcb 30s',
        '\tx_bucket{le="1"} 1 _ 3',
        '',
        'eval instant at 1m up',
        '  up{job="a"} 1',
      ].join('\n'),
      't.test',
    );
    assert.deepEqual(
      cmds.map((c) => [c.kind, c.line]),
      [
        ['load', 2],
        ['clear', 6],
        ['load', 7],
        ['eval', 10],
      ],
    );
    const [first, , nhcb] = cmds as [LoadCommand, Command, LoadCommand];
    assert.equal(first.intervalMs, 60_000);
    assert.equal(first.withNhcb, false);
    assert.equal(first.series[0]?.line, 3);
    assert.equal(nhcb.intervalMs, 30_000);
    assert.equal(nhcb.withNhcb, true);
    assert.deepEqual(nhcb.series[0]?.values, [
      { kind: 'float', value: 1 },
      { kind: 'omitted' },
      { kind: 'float', value: 3 },
    ]);
  });

  test('a later line for the same series replaces the earlier one in a load', () => {
    const [load] = parseTestFile('load 1m\n  a 1\n  a 2 3\n', 't.test') as [LoadCommand];
    assert.equal(load.series.length, 1);
    assert.equal(load.series[0]?.values.length, 2);
  });

  test('@st lines mark series with start timestamps', () => {
    const [load] = parseTestFile(
      [
        'load 1m',
        '  a{x="1"}@st _ -30s-1mx1',
        '  a{x="1"} _ 1 2',
        '  a{x="2"} 1 2',
        '  @st -1mx2',
        '  a{x="3"} 1 2 3',
      ].join('\n'),
      't.test',
    ) as [LoadCommand];
    assert.deepEqual(
      load.series.map((s) => s.startTimestamps),
      [true, false, true],
    );
  });
});

describe('eval', () => {
  test('instant', () => {
    const e = only('eval instant at 1h30m sum(up)\n  {} 3');
    assert.equal(e.range, false);
    assert.equal(e.evalMs, 5_400_000);
    assert.equal(e.expr, 'sum(up)');
    assert.deepEqual(
      [...e.expected.values()].map((s) => [s.pos, s.line, s.labels.size]),
      [[1, 2, 0]],
    );
  });

  test('range with per-step expected values', () => {
    const e = only('eval range from 0 to 10m step 5m rate(x[5m])\n  {a="b"} 1 _ 2x0');
    assert.equal(e.range, true);
    assert.deepEqual([e.startMs, e.endMs, e.stepMs], [0, 600_000, 300_000]);
    assert.equal(e.expected.get(Labels.fromObject({ a: 'b' }).key())?.values.length, 3);
  });

  test('a bare number is an expected scalar and ends the block', () => {
    assert.equal(only('eval instant at 0 1+1\n  2').expectedScalar, 2);
    assert.equal(only('eval instant at 0 1\n  0x10').expectedScalar, 16);
    assert.ok(Number.isNaN(only('eval instant at 0 NaN\n  NaN').expectedScalar));
    assert.throws(() => parseTestFile('eval instant at 0 1\n  1\n  {} 2', 't.test'), /t\.test:3: invalid command/);
  });

  test('expect lines', () => {
    const e = only(
      [
        'eval instant at 0 x',
        '  expect fail msg: something went wrong',
        '  expect warn regex: PromQL warning: .* \\(1:1\\)',
        '  expect warn',
        '  expect no_info',
        '  expect ordered',
        '  x{a="1"} 1',
        '  x{a="2"} 2',
      ].join('\n'),
    );
    assert.deepEqual(e.fail, [{ kind: 'msg', text: 'something went wrong' }]);
    assert.equal(e.warn.length, 2);
    assert.ok(e.warn[0]?.kind === 'regex' && e.warn[0].regex.test('PromQL warning: x (1:1)'));
    assert.ok(e.warn[1]?.kind === 'regex' && e.warn[1].regex.source === '^.*$');
    assert.deepEqual([e.noInfo, e.noWarn, e.ordered], [true, false, true]);
    // expect lines do not count as positions.
    assert.deepEqual(
      [...e.expected.values()].map((s) => s.pos),
      [1, 2],
    );
  });

  test('deprecated forms', () => {
    const [f, w, o, i] = evals(
      [
        'eval_fail instant at 0 x',
        '  expected_fail_message boom',
        '',
        'eval_warn range from 0 to 1m step 1m x',
        '',
        'eval_ordered instant at 0 x',
        '',
        'eval_info instant at 0 x',
        '',
        'eval_fail instant at 0 y',
        '  expected_fail_regexp bo+m',
      ].join('\n'),
    ) as [EvalCommand, EvalCommand, EvalCommand, EvalCommand];
    assert.deepEqual([f.legacyFail, f.legacyFailMatch], [true, { kind: 'msg', text: 'boom' }]);
    assert.ok(w.legacyWarn && w.range);
    assert.ok(o.ordered);
    assert.ok(i.legacyInfo);
  });

  test('expect range vector and expect string', () => {
    const r = only('eval instant at 1m m[1m]\n  expect range vector from 10s to 1m step 10s\n  m 1 2 3 4 5 6');
    assert.deepEqual(
      [r.startMs, r.endMs, r.stepMs, r.evalMs, r.excludeFromRangeQuery],
      [10_000, 60_000, 10_000, 60_000, true],
    );
    assert.equal(only('eval instant at 0 "a"\n  expect string " a\\tb "').expectedString, ' a\tb ');
    assert.equal(only('eval instant at 0 `a`\n  expect string `x\\y`').expectedString, 'x\\y');
  });

  test('native histogram expectations are marked, not parsed', () => {
    const e = only('eval instant at 0 h\n  h {{schema:0 sum:1 count:1}}');
    assert.ok(e.expectsNativeHistograms);
    assert.equal(e.expected.size, 1);
  });
});

describe('errors name file:line', () => {
  const cases: Array<[string, RegExp]> = [
    ['bogus', /^t\.test:1: invalid command "bogus"$/],
    ['load x', /^t\.test:1: invalid step definition "x"$/],
    ['load\n', /^t\.test:1: invalid load command/],
    ['\nload 1m\n  a 1 2\n  b 1+2', /^t\.test:4: invalid value "1\+2"/],
    ['load 1m\n  a{x="1"}@st 1s 2s\n  a{x="2"} 1 2', /^t\.test:2: @st metric does not match/],
    ['load 1m\n  a@st 1s\n  a 1 2', /^t\.test:2: @st line has 1 values but sample line has 2/],
    ['eval instant at 0 x\n  x 1 2', /^t\.test:1: error in eval x: expecting multiple values in instant evaluation/],
    ['eval instant at x y', /^t\.test:1: error in eval y: invalid timestamp definition "x"/],
    ['eval range from 1m to 0 step 1m x', /^t\.test:1: .*end timestamp \(0\) is before start timestamp \(1m\)/],
    ['eval range at 0 x', /^t\.test:1: invalid evaluation command/],
    ['eval_ordered range from 0 to 1m step 1m x', /^t\.test:1: invalid evaluation command/],
    ['eval instant at 0 x\n  expect bogus', /^t\.test:1: error in eval x: invalid expect statement/],
    ['eval instant at 0 x\n  expect warn\n  expect no_warn', /warn and no_warn cannot be used together/],
    ['eval instant at 0 x\n  expect fail\n  expect fail', /multiple expect fail lines are not allowed/],
    ['eval instant at 0 x\n  expect fail regex: (', /invalid regex \( for fail/],
    ['eval instant at 0 x\n  expect string Foo', /expected string literal not valid/],
  ];
  for (const [text, want] of cases) {
    test(JSON.stringify(text), () => {
      assert.throws(
        () => parseTestFile(text, 't.test'),
        (err: unknown) => err instanceof TestSyntaxError && want.test(err.message),
      );
    });
  }
});
