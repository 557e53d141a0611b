import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryExecutionError } from '../errors.ts';
import type { Vector } from '../value.ts';
import { goExpand } from './go-expand.ts';
import { natLess } from './sort.ts';
import { context, runInstant, sample } from './testing.ts';

function rows(v: Vector): string[] {
  return v.map((s) => `${s.metric.toString()} ${s.f}`);
}

const testmetric = [
  sample({ __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' }, 0),
  sample({ __name__: 'testmetric', src: 'source-value-20', dst: 'original-destination-value' }, 1),
];

/** label_replace(testmetric, dst, replacement, src, regex) → the `dst` values. */
function replaced(dst: string, replacement: string, src: string, regex: string): string[] {
  const q = 'label_replace(testmetric, "a", "b", "c", "d")';
  return runInstant(q, [testmetric, dst, replacement, src, regex]).map((s) => s.metric.get(dst));
}

describe('label_replace', () => {
  const cases: [string, [string, string, string, string], string[]][] = [
    [
      'full match',
      ['dst', 'destination-value-$1', 'src', 'source-value-(.*)'],
      ['destination-value-10', 'destination-value-20'],
    ],
    [
      'no substring match',
      ['dst', 'destination-value-$1', 'src', 'value-(.*)'],
      ['original-destination-value', 'original-destination-value'],
    ],
    ['several groups', ['dst', '$1-value-$2', 'src', '(.*)-value-(.*)'], ['source-value-10', 'source-value-20']],
    [
      'missing source, no match',
      ['dst', 'value-$1', 'nonexistent-src', 'source-value-(.*)'],
      ['original-destination-value', 'original-destination-value'],
    ],
    ['missing source, matched', ['dst', 'value-$1', 'nonexistent-src', '(.*)'], ['value-', 'value-']],
    ['empty result deletes', ['dst', '', 'dst', '.*'], ['', '']],
    ['named groups, braces and $$', ['dst', '${n}x$$$n', 'src', 'source-value-(?P<n>\\d+)'], ['10x$10', '20x$20']],
    ['$1x names group 1x', ['dst', '$1x', 'src', 'source-value-(.*)'], ['', '']],
  ];
  for (const [name, [dst, repl, src, regex], want] of cases) {
    it(name, () => assert.deepEqual(replaced(dst, repl, src, regex), want));
  }

  it('anchors the regex and lets . match a newline', () => {
    const q = 'label_replace(x, "a", "b", "c", "d")';
    const input = [sample({ src: 'a\nb' }, 1)];
    assert.equal(runInstant(q, [input, 'dst', '$1', 'src', 'a(.)b'])[0]?.metric.get('dst'), '\n');
    assert.equal(runInstant(q, [input, 'dst', '$1', 'src', '(.)'])[0]?.metric.get('dst'), '');
  });

  it('keeps dropName unless it sets __name__', () => {
    const q = 'label_replace(x, "a", "b", "c", "d")';
    const input = [{ ...sample({ __name__: 'x', src: 'a' }, 1), dropName: true }];
    assert.equal(runInstant(q, [input, 'dst', 'v', 'src', '.*'])[0]?.dropName, true);
    assert.equal(runInstant(q, [input, '__name__', 'y', 'src', '.*'])[0]?.dropName, false);
    assert.equal(runInstant(q, [input, '__name__', 'y', 'src', 'nomatch'])[0]?.dropName, true);
  });

  it('fails on a bad regex or destination, even for an empty vector', () => {
    const q = 'label_replace(x, "a", "b", "c", "d")';
    assert.throws(
      () => runInstant(q, [[], 'dst', '$1', 'src', '(.*']),
      (e) => e instanceof QueryExecutionError && e.message === 'invalid regular expression in label_replace(): (.*',
    );
    assert.throws(
      () => runInstant(q, [[], '', '$1', 'src', '(.*)']),
      (e) => e instanceof QueryExecutionError && e.message === 'invalid destination label name in label_replace(): ',
    );
  });

  it('rewrites each label set once per call', () => {
    const q = 'label_replace(x, "a", "b", "c", "d")';
    const ctx = context(q);
    const first = runInstant(q, [testmetric, 'dst', '$1', 'src', 'source-value-(.*)'], ctx);
    const second = runInstant(q, [testmetric, 'dst', '$1', 'src', 'source-value-(.*)'], ctx);
    assert.equal(first[0]?.metric, second[0]?.metric);
  });
});

describe('go regexp expansion', () => {
  const match = Object.assign(['ab', 'a', undefined], { groups: { first: 'a' } });
  for (const [template, want] of [
    ['$1-$2-$3', 'a--'],
    ['${1}x', 'ax'],
    ['$first.$first', 'a.a'],
    ['$', '$'],
    ['${1', '${1'],
    ['$!', '$!'],
    ['$01', ''],
    ['$$1', '$1'],
    ['$0', 'ab'],
  ] as const) {
    it(template, () => assert.equal(goExpand(template, match), want));
  }
});

describe('label_join', () => {
  const q = 'label_join(x, "dst", "-", "src")';
  const input = [sample({ __name__: 'x', src: 'a', src1: 'b', src2: 'c', dst: 'orig' }, 0)];
  it('joins in order, absent labels as empty strings', () => {
    assert.deepEqual(rows(runInstant(q, [input, 'dst', '-', 'src', 'src3', 'src1'])), [
      '{__name__="x", dst="a--b", src="a", src1="b", src2="c"} 0',
    ]);
    assert.deepEqual(rows(runInstant(q, [input, 'dst', ', '])), ['{__name__="x", src="a", src1="b", src2="c"} 0']);
  });

  it('fails on invalid label names', () => {
    assert.throws(() => runInstant(q, [input, 'dst', '-', '\udcff']), /invalid source label name in label_join\(\)/);
    assert.throws(() => runInstant(q, [input, '', '-', 'src']), /invalid destination label name in label_join\(\)/);
  });
});

describe('sort functions', () => {
  const vec = [sample({ i: 'a' }, 3), sample({ i: 'b' }, Number.NaN), sample({ i: 'c' }, 1), sample({ i: 'd' }, 2)];
  it('sort and sort_desc put NaN last', () => {
    assert.deepEqual(
      runInstant('sort(x)', [vec]).map((s) => s.metric.get('i')),
      ['c', 'd', 'a', 'b'],
    );
    assert.deepEqual(
      runInstant('sort_desc(x)', [vec]).map((s) => s.metric.get('i')),
      ['a', 'd', 'c', 'b'],
    );
  });

  it('sort_by_label uses natural order, then the whole label set', () => {
    const cpus = ['10', '2', '1', '100', '0', '21'].map((cpu) => sample({ cpu, job: 'cpu' }, 1));
    assert.deepEqual(
      runInstant('sort_by_label(x, "cpu")', [cpus, 'cpu']).map((s) => s.metric.get('cpu')),
      ['0', '1', '2', '10', '21', '100'],
    );
    const nodes = ['4m600', '4m5', '4m1000'].map((instance) => sample({ instance }, 1));
    assert.deepEqual(
      runInstant('sort_by_label_desc(x, "instance")', [nodes, 'instance']).map((s) => s.metric.get('instance')),
      ['4m1000', '4m600', '4m5'],
    );
    const ties = [sample({ g: 'b', i: '1' }, 1), sample({ g: 'a', i: '1' }, 1)];
    assert.deepEqual(
      runInstant('sort_by_label(x, "i")', [ties, 'i']).map((s) => s.metric.get('g')),
      ['a', 'b'],
    );
  });

  it('natsort keeps its quirks', () => {
    assert.equal(natLess('1.2.3', '1.11.3'), true);
    assert.equal(natLess('01', '1'), true);
    assert.equal(natLess('1', '01'), true);
    assert.equal(natLess('', 'a'), false);
    assert.equal(natLess('a', ''), false);
    assert.equal(natLess('99999999999999999999', '3'), false);
  });
});
