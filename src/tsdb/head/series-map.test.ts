import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { MemSeries } from './mem-series.ts';
import { hashLabels, SeriesByLabels } from './series-map.ts';

const labels = (i: number) => Labels.fromObject({ __name__: 'm', i: String(i) });

/** Two label sets with the same hash, found by search (deterministic). */
function collision(): [Labels, Labels] {
  const seen = new Map<number, number>();
  for (let i = 0; ; i++) {
    const h = hashLabels(labels(i));
    const j = seen.get(h);
    if (j !== undefined) return [labels(j), labels(i)];
    seen.set(h, i);
  }
}

describe('SeriesByLabels', () => {
  it('hashes equal label sets alike, to small integers', () => {
    const a = Labels.fromObject({ job: 'node', instance: 'a:9100', __name__: 'up' });
    const b = Labels.fromPairs([
      ['__name__', 'up'],
      ['instance', 'a:9100'],
      ['job', 'node'],
    ]);
    assert.equal(hashLabels(a), hashLabels(b));
    assert.notEqual(hashLabels(a), hashLabels(Labels.fromObject({ job: 'node', instance: 'a:910', __name__: 'up0' })));
    assert.ok(Number.isInteger(hashLabels(a)) && Math.abs(hashLabels(a)) < 2 ** 31);
  });

  it('finds, chains and removes series whose labels collide', () => {
    const [la, lb] = collision();
    assert.equal(hashLabels(la), hashLabels(lb));
    assert.ok(!la.equals(lb));
    const map = new SeriesByLabels();
    const a = new MemSeries(1, la);
    const b = new MemSeries(2, lb);
    map.add(a);
    assert.equal(map.get(lb), undefined);
    map.add(b);
    assert.equal(map.get(labels(Number(la.get('i')))), a, 'by equal labels, not identity');
    assert.equal(map.get(lb), b);
    map.delete(a);
    assert.equal(map.get(la), undefined);
    assert.equal(map.get(lb), b);
    map.delete(a);
    map.delete(b);
    assert.equal(map.get(lb), undefined);
  });
});
