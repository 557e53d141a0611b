import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { MemoryStorage } from '../../storage/index.ts';
import { allFeatures, parseExpr } from '../parser/index.ts';
import { Engine } from './engine.ts';
import { QueryExecutionError } from './errors.ts';
import { infoTimeShift } from './eval-info-time.ts';

/** A storage holding `rows` of `[labels, [timeMs, value]…]`. */
async function store(rows: ReadonlyArray<readonly [Record<string, string>, ReadonlyArray<readonly [number, number]>]>) {
  const s = new MemoryStorage();
  const app = s.appender();
  for (const [labels, points] of rows) for (const [t, v] of points) app.append(Labels.fromObject(labels), t, v);
  await app.commit();
  return s;
}

/** `labels value` lines of an instant query at `t`, sorted. */
async function instant(s: MemoryStorage, query: string, t: number): Promise<string[]> {
  const res = await new Engine({ parseOptions: allFeatures }).instantQuery(s, query, t);
  assert.equal(res.value.type, 'vector');
  if (res.value.type !== 'vector') return [];
  return res.value.samples.map((x) => `${x.metric.toString()} ${x.f}`).sort();
}

describe('info()', () => {
  it('joins on identifying label values that contain regex metacharacters', async () => {
    const s = await store([
      [{ __name__: 'up', instance: 'host(1).example:9090', job: 'a|b' }, [[0, 1]]],
      [{ __name__: 'up', instance: 'hostX1Xexample:9090', job: 'a' }, [[0, 2]]],
      [{ __name__: 'target_info', instance: 'host(1).example:9090', job: 'a|b', region: 'eu' }, [[0, 1]]],
      [{ __name__: 'target_info', instance: 'hostX1Xexample:9090', job: 'a', region: 'us' }, [[0, 1]]],
    ]);
    assert.deepEqual(await instant(s, 'info(up)', 10_000), [
      '{__name__="up", instance="host(1).example:9090", job="a|b", region="eu"} 1',
      '{__name__="up", instance="hostX1Xexample:9090", job="a", region="us"} 2',
    ]);
  });

  it('fails on two info series of one metric with samples at the same time', async () => {
    const s = await store([
      [{ __name__: 'up', instance: 'a', job: 'j' }, [[0, 1]]],
      [{ __name__: 'target_info', instance: 'a', job: 'j', v: '1' }, [[0, 1]]],
      [{ __name__: 'target_info', instance: 'a', job: 'j', v: '2' }, [[0, 1]]],
    ]);
    await assert.rejects(
      instant(s, 'info(up)', 10_000),
      (err: unknown) =>
        err instanceof QueryExecutionError && /found duplicate series for info metric: .* @ 0/.test(err.message),
    );
  });

  it('keeps the base labels and skips labels outside the data-label matchers', async () => {
    const s = await store([
      [{ __name__: 'up', instance: 'a', job: 'j', region: 'base' }, [[0, 1]]],
      [{ __name__: 'build_info', instance: 'a', job: 'j', region: 'info', version: '2', os: 'linux' }, [[0, 1]]],
    ]);
    assert.deepEqual(await instant(s, 'info(up, {__name__="build_info", version=~".+"})', 0), [
      '{__name__="up", instance="a", job="j", region="base", version="2"} 1',
    ]);
  });
});

describe('infoTimeShift', () => {
  const cases: Array<[string, { atMs: number | null; offsetMs: number }]> = [
    ['metric', { atMs: null, offsetMs: 0 }],
    ['metric offset 1m', { atMs: null, offsetMs: 60_000 }],
    ['metric @ 60 offset -30s', { atMs: 60_000, offsetMs: -30_000 }],
    ['rate(metric[5m] offset 2m)', { atMs: null, offsetMs: 120_000 }],
    ['sum(a offset 1m) + b offset 2m', { atMs: null, offsetMs: 60_000 }],
    ['vector(1) + b offset 2m', { atMs: null, offsetMs: 120_000 }],
    ['last_over_time(metric[5m:1m] offset 6m)', { atMs: null, offsetMs: 360_000 }],
    ['last_over_time((metric offset 1m)[10m:1m] @ 180)', { atMs: 180_000, offsetMs: 60_000 }],
    ['last_over_time((metric @ 30 offset 1m)[10m:1m] @ 180 offset 1m)', { atMs: 30_000, offsetMs: 60_000 }],
    ['max_over_time(rate(metric[1m] offset 1m)[10m:] offset 3m)', { atMs: null, offsetMs: 240_000 }],
    ['vector(1)', { atMs: null, offsetMs: 0 }],
  ];
  for (const [query, want] of cases) {
    it(query, () => assert.deepEqual(infoTimeShift(parseExpr(query, allFeatures)), want));
  }
});
