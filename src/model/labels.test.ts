import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareLabels, compareStrings, Labels, LabelsBuilder } from './labels.ts';

describe('Labels', () => {
  it('sorts by name, drops empty values and keeps the last of a repeated name', () => {
    const l = Labels.fromPairs([
      ['job', 'node'],
      ['__name__', 'up'],
      ['empty', ''],
      ['job', 'api'],
    ]);
    assert.equal(l.toString(), '{__name__="up", job="api"}');
    assert.equal(l.size, 2);
    assert.equal(l.get('job'), 'api');
    assert.equal(l.get('empty'), '');
    assert.equal(l.metricName(), 'up');
  });

  it('has equal keys exactly for equal sets', () => {
    const a = Labels.fromObject({ a: 'b', c: 'd' });
    const b = Labels.fromObject({ c: 'd', a: 'b' });
    const c = Labels.fromObject({ a: 'b\xffc', c: 'd' });
    assert.equal(a.key(), b.key());
    assert.ok(a.equals(b));
    assert.notEqual(a.key(), c.key());
    assert.notEqual(Labels.fromObject({ ab: 'c' }).key(), Labels.fromObject({ a: 'bc' }).key());
  });

  it('drops and keeps names', () => {
    const l = Labels.fromObject({ __name__: 'x', a: '1', b: '2' });
    assert.equal(l.without('__name__', 'b').toString(), '{a="1"}');
    assert.equal(l.keepOnly('b').toString(), '{b="2"}');
  });

  it('compares as Prometheus does', () => {
    const sets = ([{ a: '2' }, { a: '1', b: '1' }, { a: '1' }, { b: '0' }] as Array<Record<string, string>>).map((o) =>
      Labels.fromObject(o),
    );
    assert.deepEqual(
      sets.sort(compareLabels).map((l) => l.toString()),
      ['{a="1"}', '{a="1", b="1"}', '{a="2"}', '{b="0"}'],
    );
  });

  it('orders strings by code point (UTF-8 byte order), not UTF-16 code unit', () => {
    const astral = '\u{1F600}';
    const highBmp = '\uFF01';
    assert.ok(highBmp < astral === false, 'JavaScript orders the surrogate first');
    assert.ok(compareStrings(highBmp, astral) < 0);
    assert.ok(compareStrings('a', 'ab') < 0);
    assert.equal(compareStrings('x', 'x'), 0);
    assert.deepEqual(['b', astral, 'a', highBmp].sort(compareStrings), ['a', 'b', highBmp, astral]);
  });

  it('builds changed sets', () => {
    const base = Labels.fromObject({ a: '1', b: '2' });
    const b = new LabelsBuilder(base).set('c', '3').set('a', '').del('b');
    assert.equal(b.labels().toString(), '{c="3"}');
    assert.equal(base.toString(), '{a="1", b="2"}', 'the base is unchanged');
  });
});
