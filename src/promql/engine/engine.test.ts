import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { rng } from '../../model/testing.ts';
import { MemoryStorage } from '../../storage/index.ts';
import { allFeatures } from '../parser/index.ts';
import { Engine } from './engine.ts';
import { QueryBadDataError, QueryCanceledError, QueryTimeoutError, TooManySamplesError } from './errors.ts';
import type { QueryValue } from './value.ts';

/** 40 series over 3 hours at 15 s with a little jitter, counters with resets and gauges, some gaps. */
async function dataset(): Promise<MemoryStorage> {
  const store = new MemoryStorage();
  const r = rng(7);
  const app = store.appender();
  for (let i = 0; i < 40; i++) {
    const labels = Labels.fromObject({
      __name__: i % 2 === 0 ? 'requests_total' : 'temperature',
      job: `job${i % 3}`,
      instance: `i${i}`,
    });
    let v = 0;
    const startGap = i % 5 === 0 ? 3_600_000 : 0;
    for (let t = startGap; t < 3 * 3_600_000; t += 15_000) {
      if (i % 7 === 0 && t > 5_000_000 && t < 5_600_000) continue;
      v = i % 2 === 0 ? (r() < 0.01 ? 0 : v + Math.floor(r() * 10)) : 20 + 10 * Math.sin(t / 600_000 + i) + r();
      app.append(labels, t + Math.floor(r() * 500), v);
    }
  }
  await app.commit();
  return store;
}

const queries = [
  'requests_total',
  'rate(requests_total[5m])',
  'sum by (job) (rate(requests_total[5m]))',
  'topk(3, temperature)',
  'avg_over_time(temperature[10m])',
  'max_over_time(rate(requests_total[5m])[30m:1m])',
  'temperature > on(instance) group_left temperature offset 5m',
  'histogram_quantile(0.9, sum by (job) (temperature))',
  'absent(nonexistent)',
  'count_values("v", round(temperature))',
  'time() - timestamp(temperature)',
  'quantile(0.5, temperature) by (job)',
];

function pointAt(v: QueryValue, key: string, t: number): number | undefined {
  assert.equal(v.type, 'matrix');
  if (v.type !== 'matrix') return undefined;
  const s = v.series.find((x) => x.metric.key() === key);
  if (s === undefined) return undefined;
  const i = s.ts.indexOf(t);
  return i < 0 ? undefined : s.fs[i];
}

describe('Engine', () => {
  it('gives a range query the same values as instant queries at each step (across evaluation batches)', async () => {
    const store = await dataset();
    const engine = new Engine({ parseOptions: allFeatures });
    const start = 3_000_000;
    const step = 17_000;
    const end = start + 600 * step;
    for (const q of queries) {
      const range = await engine.rangeQuery(store, q, start, end, step);
      for (let t = start; t <= end; t += step * 37) {
        const inst = await engine.instantQuery(store, q, t);
        assert.equal(inst.value.type, 'vector', q);
        if (inst.value.type !== 'vector') continue;
        let present = 0;
        for (const s of inst.value.samples) {
          const got = pointAt(range.value, s.metric.key(), t);
          assert.ok(got !== undefined, `${q} @${t}: ${s.metric} missing from the range result`);
          if (Number.isNaN(s.f)) assert.ok(Number.isNaN(got), q);
          else assert.equal(got, s.f, `${q} @${t} ${s.metric}`);
          present++;
        }
        let inRange = 0;
        if (range.value.type === 'matrix') for (const s of range.value.series) if (s.ts.includes(t)) inRange++;
        assert.equal(inRange, present, `${q} @${t}: series count`);
      }
    }
  });

  it('refuses bad ranges and range queries of range vectors', async () => {
    const engine = new Engine();
    const store = new MemoryStorage();
    await assert.rejects(engine.rangeQuery(store, 'up', 0, 1000, 0), QueryBadDataError);
    await assert.rejects(engine.rangeQuery(store, 'up', 1000, 0, 10), QueryBadDataError);
    await assert.rejects(
      engine.rangeQuery(store, 'up[5m]', 0, 1000, 10),
      /invalid expression type "range vector" for range query, must be Scalar or instant Vector/,
    );
  });

  it('stops a query past maxSamples with upstream error text', async () => {
    const store = await dataset();
    const engine = new Engine({ maxSamples: 1000 });
    await assert.rejects(
      engine.rangeQuery(store, 'temperature', 0, 3_600_000, 15_000),
      (err: unknown) =>
        err instanceof TooManySamplesError &&
        err.message === 'query processing would load too many samples into memory in query execution',
    );
  });

  it('cancels a running range query when its signal aborts, between batches', async () => {
    const store = await dataset();
    const engine = new Engine();
    const ac = new AbortController();
    const q = engine.rangeQuery(store, 'rate(requests_total[5m])', 0, 3 * 3_600_000, 1_000, { signal: ac.signal });
    setImmediate(() => ac.abort());
    await assert.rejects(q, QueryCanceledError);
  });

  it('times out a long query and queues beyond maxConcurrent', async () => {
    const store = await dataset();
    const engine = new Engine({ maxConcurrent: 1 });
    await assert.rejects(
      engine.rangeQuery(store, 'rate(requests_total[5m])', 0, 3 * 3_600_000, 20, { timeoutMs: 1 }),
      QueryTimeoutError,
    );
    const a = engine.instantQuery(store, 'sum(temperature)', 3_600_000);
    const b = engine.instantQuery(store, 'count(temperature)', 3_600_000);
    const [ra, rb] = await Promise.all([a, b]);
    assert.equal(ra.value.type, 'vector');
    assert.equal(rb.value.type, 'vector');
  });
});
