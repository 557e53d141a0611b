import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels, Matcher, type MatchType } from '../../model/index.ts';
import { MemPostings } from './mem-postings.ts';
import { expand, intersect, ListPostings, merge, without } from './postings.ts';
import { postingsForMatchers } from './select.ts';

const list = (...refs: number[]) => new ListPostings(refs);

describe('postings operations', () => {
  it('intersects, merges and subtracts', () => {
    assert.deepEqual(expand(intersect([list(1, 2, 3, 5, 8), list(2, 3, 4, 8), list(0, 2, 8, 9)])), [2, 8]);
    assert.deepEqual(expand(intersect([list(1, 2), list()])), []);
    assert.deepEqual(expand(merge([list(1, 4, 6), list(2, 4, 7), list()])), [1, 2, 4, 6, 7]);
    assert.deepEqual(expand(without(list(1, 2, 3, 4, 5), list(2, 4, 9))), [1, 3, 5]);
    assert.deepEqual(expand(without(list(1, 2), list())), [1, 2]);
  });

  it('seeks forward only', () => {
    const p = merge([list(1, 5, 9), list(3, 7)]);
    assert.ok(p.seek(4));
    assert.equal(p.at(), 5);
    assert.ok(p.seek(2));
    assert.equal(p.at(), 5);
    assert.ok(p.next());
    assert.equal(p.at(), 7);
    const i = intersect([list(1, 3, 5, 7), list(3, 5, 7)]);
    assert.ok(i.seek(4));
    assert.equal(i.at(), 5);
    assert.ok(i.next());
    assert.equal(i.at(), 7);
    assert.equal(i.next(), false);
  });
});

describe('postingsForMatchers on MemPostings', () => {
  const ix = new MemPostings();
  const series: Array<Record<string, string>> = [
    { __name__: 'up', job: 'node', env: 'prod' },
    { __name__: 'up', job: 'node' },
    { __name__: 'up', job: 'api', env: 'dev' },
    { __name__: 'cpu', job: 'node', env: 'prod' },
  ];
  series.forEach((s, i) => {
    ix.add(i + 1, Labels.fromObject(s));
  });
  const sel = (...ms: Array<[string, MatchType, string]>) =>
    expand(
      postingsForMatchers(
        ix,
        ms.map(([n, t, v]) => Matcher.create(t, n, v)),
      ),
    );

  const cases: Array<[string, Array<[string, MatchType, string]>, number[]]> = [
    ['equal', [['__name__', '=', 'up']], [1, 2, 3]],
    [
      'two equals',
      [
        ['__name__', '=', 'up'],
        ['job', '=', 'node'],
      ],
      [1, 2],
    ],
    [
      'not equal',
      [
        ['__name__', '=', 'up'],
        ['env', '!=', 'prod'],
      ],
      [2, 3],
    ],
    [
      'label absent',
      [
        ['__name__', '=', 'up'],
        ['env', '=', ''],
      ],
      [2],
    ],
    ['label present', [['env', '!=', '']], [1, 3, 4]],
    ['regex', [['job', '=~', 'n.*']], [1, 2, 4]],
    [
      'regex matching empty',
      [
        ['__name__', '=', 'up'],
        ['env', '=~', 'dev|'],
      ],
      [2, 3],
    ],
    [
      'negative regex',
      [
        ['__name__', '=', 'up'],
        ['job', '!~', 'api|web'],
      ],
      [1, 2],
    ],
    ['negative regex not matching empty', [['env', '!~', '.*']], []],
    ['only negative', [['job', '!=', 'node']], [3]],
    ['nothing', [['__name__', '=', 'none']], []],
  ];
  for (const [name, ms, want] of cases) it(name, () => assert.deepEqual(sel(...ms), want));

  it('lists names and values, and forgets deleted series', () => {
    assert.deepEqual(ix.labelNames(), ['__name__', 'env', 'job']);
    assert.deepEqual(ix.labelValues('env'), ['dev', 'prod']);
    const copy = new MemPostings();
    series.forEach((s, i) => {
      copy.add(i + 1, Labels.fromObject(s));
    });
    copy.delete(new Set([3]));
    assert.deepEqual(copy.labelValues('env'), ['prod']);
    assert.deepEqual(expand(copy.all()), [1, 2, 4]);
  });
});
