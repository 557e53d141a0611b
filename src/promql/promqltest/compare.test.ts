import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Labels, staleNaN } from '../../model/index.ts';
import type { QueryValue } from '../engine/value.ts';
import type { EvalCommand } from './commands.ts';
import { almostEqual, compareResult } from './compare.ts';
import { parseTestFile } from './parse.ts';

function evalCmd(text: string): EvalCommand {
  return parseTestFile(text, 't.test')[0] as EvalCommand;
}

const up = (job: string) => Labels.fromObject({ __name__: 'up', job });

describe('almostEqual', () => {
  const cases: Array<[number, number, boolean]> = [
    [1, 1, true],
    [1, 1 + 1e-7, true],
    [1, 1 + 1e-5, false],
    [1e300, 1.0000001e300, true],
    [0, 1e-300, false],
    [0, 1e-320, true],
    [Number.NaN, Number.NaN, true],
    [staleNaN, staleNaN, true],
    [staleNaN, Number.NaN, false],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, true],
    [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, false],
  ];
  for (const [a, b, want] of cases) test(`${a} ~ ${b}`, () => assert.equal(almostEqual(a, b), want));
});

describe('compareResult', () => {
  const vector = (...s: Array<[Labels, number]>): QueryValue => ({
    type: 'vector',
    samples: s.map(([metric, f]) => ({ metric, t: 0, f, dropName: false })),
  });

  test('vectors are sets unless ordered', () => {
    const cmd = evalCmd('eval instant at 0 up\n  up{job="a"} 1\n  up{job="b"} 2');
    assert.equal(compareResult(cmd, vector([up('b'), 2], [up('a'), 1])), null);
    assert.match(compareResult(cmd, vector([up('a'), 1])) ?? '', /expected metric up\{job="b"\} not found/);
    assert.match(
      compareResult(cmd, vector([up('a'), 1], [up('b'), 3])) ?? '',
      /expected 2 for up\{job="b"\} but got 3/,
    );
    assert.match(compareResult(cmd, vector([up('c'), 1])) ?? '', /unexpected metric up\{job="c"\}/);
    const ordered = evalCmd('eval instant at 0 up\n  expect ordered\n  up{job="a"} 1\n  up{job="b"} 2');
    assert.match(compareResult(ordered, vector([up('b'), 2], [up('a'), 1])) ?? '', /at position 2 but was at 1/);
  });

  test('range results step by step, `_` for no point', () => {
    const cmd = evalCmd('eval range from 0 to 2m step 1m up\n  up{job="a"} 1 _ 3');
    const matrix = (ts: number[], fs: number[]): QueryValue => ({
      type: 'matrix',
      series: [{ metric: up('a'), ts, fs, dropName: false }],
    });
    assert.equal(compareResult(cmd, matrix([0, 120_000], [1, 3])), null);
    assert.match(
      compareResult(cmd, matrix([0, 60_000], [1, 3])) ?? '',
      /to have timestamp 120000, but it had timestamp 60000/,
    );
    assert.match(compareResult(cmd, matrix([0], [1])) ?? '', /expected 2 float points/);
  });

  test('matrices must be sorted by labels', () => {
    const cmd = evalCmd('eval range from 0 to 0 step 1m up\n  up{job="a"} 1\n  up{job="b"} 1');
    const series = ['b', 'a'].map((j) => ({ metric: up(j), ts: [0], fs: [1], dropName: false }));
    assert.match(compareResult(cmd, { type: 'matrix', series }) ?? '', /not sorted/);
  });

  test('scalars and strings', () => {
    assert.equal(compareResult(evalCmd('eval instant at 0 1\n  1'), { type: 'scalar', t: 0, v: 1 }), null);
    assert.match(
      compareResult(evalCmd('eval instant at 0 1\n  {} 1'), { type: 'scalar', t: 0, v: 1 }) ?? '',
      /expected vector or matrix/,
    );
    assert.match(compareResult(evalCmd('eval instant at 0 up\n  1'), vector()) ?? '', /expected scalar result/);
    const str = evalCmd('eval instant at 0 "a"\n  expect string "a"');
    assert.equal(compareResult(str, { type: 'string', t: 0, v: 'a' }), null);
    assert.match(compareResult(str, { type: 'string', t: 0, v: 'b' }) ?? '', /expected string "a" but got "b"/);
  });
});
