/**
 * The contract every Appendable + Queryable storage meets, as one test suite: run it against each
 * implementation (the in-memory storage, the TSDB head, the TSDB with blocks). Not part of the build.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { floatBits, Labels, Matcher, type MatchType, staleNaN } from '../model/index.ts';
import { DuplicateSampleError, OutOfOrderSampleError } from './errors.ts';
import type { Appendable, Queryable, SampleCursor, SeriesSet } from './interfaces.ts';
import { readSamples, SampleBuffer } from './sample-buffer.ts';

export interface ContractStorage {
  storage: Appendable & Queryable;
  close(): Promise<void>;
}

const l = (o: Record<string, string>) => Labels.fromObject(o);
const m = (name: string, type: MatchType, value: string) => Matcher.create(type, name, value);

/** Reads a series set into plain data: `[labels, [[t, v], …]]` per series. */
export function collect(set: SeriesSet): Array<[string, Array<[number, number]>]> {
  const out: Array<[string, Array<[number, number]>]> = [];
  while (set.next()) {
    const s = set.at();
    const c = s.cursor();
    const samples: Array<[number, number]> = [];
    while (c.next()) samples.push([c.atT(), c.atV()]);
    assert.equal(c.err(), null);
    out.push([s.labels.toString(), samples]);
  }
  assert.equal(set.err(), null);
  return out;
}

export function storageContract(name: string, open: () => Promise<ContractStorage>): void {
  describe(`storage contract: ${name}`, () => {
    let s: ContractStorage;
    before(async () => {
      s = await open();
      const app = s.storage.appender();
      for (let i = 0; i < 10; i++) {
        app.append(l({ __name__: 'up', job: 'node', instance: 'a' }), 1000 * i, i);
        app.append(l({ __name__: 'up', job: 'node', instance: 'b' }), 1000 * i, 10 + i);
        app.append(l({ __name__: 'up', job: 'api' }), 1000 * i, 100 + i);
      }
      app.append(l({ __name__: 'temp', room: 'x\ny' }), 500, -0.5);
      await app.commit();
    });
    after(() => s.close());

    const select = (mint: number, maxt: number, ...ms: Matcher[]) => {
      const q = s.storage.querier(mint, maxt);
      try {
        return collect(q.select(true, undefined, ms));
      } finally {
        q.close();
      }
    };

    it('selects by every matcher type, sorted by labels', () => {
      assert.deepEqual(
        select(0, 100_000, m('__name__', '=', 'up')).map(([k]) => k),
        [
          '{__name__="up", instance="a", job="node"}',
          '{__name__="up", instance="b", job="node"}',
          '{__name__="up", job="api"}',
        ],
      );
      assert.equal(select(0, 100_000, m('__name__', '=', 'up'), m('job', '!=', 'node')).length, 1);
      assert.equal(select(0, 100_000, m('job', '=~', 'no.*')).length, 2);
      assert.equal(select(0, 100_000, m('__name__', '=', 'up'), m('instance', '!~', 'a|b')).length, 1);
      assert.equal(select(0, 100_000, m('__name__', '=', 'up'), m('instance', '=', '')).length, 1, 'absent label = ""');
      assert.equal(select(0, 100_000, m('room', '=~', 'x.y')).length, 1, '. matches a newline');
      assert.deepEqual(select(0, 100_000, m('__name__', '=', 'nope')), []);
    });

    it('returns the samples in [mint, maxt], bounds included', () => {
      const [[, samples] = ['', []]] = select(2000, 4000, m('instance', '=', 'a'));
      assert.deepEqual(samples, [
        [2000, 2],
        [3000, 3],
        [4000, 4],
      ]);
      assert.deepEqual(
        select(20_000, 30_000, m('instance', '=', 'a')),
        [],
        'series without samples in range are left out',
      );
    });

    it('reads in bulk (readSamples) exactly what next() gives, for any [mint, maxt]', () => {
      const q = s.storage.querier(0, 100_000);
      try {
        for (const [mint, maxt] of [
          [0, 100_000],
          [2000, 4000],
          [2500, 2600],
          [9000, 9000],
          [-5, 0],
          [500, 500],
        ] as const) {
          const set = q.select(true, undefined, [m('__name__', '=~', '.+')]);
          let c: SampleCursor | undefined;
          while (set.next()) {
            const series = set.at();
            const buf = new SampleBuffer();
            assert.equal(readSamples(series.cursor(), mint, maxt, buf), null);
            const want: Array<[number, string]> = [];
            c = series.cursor(c);
            while (c.next())
              if (c.atT() >= mint && c.atT() <= maxt) want.push([c.atT(), floatBits(c.atV()).toString()]);
            const got: Array<[number, string]> = [];
            for (let i = 0; i < buf.n; i++) got.push([buf.ts[i] as number, floatBits(buf.vs[i] as number).toString()]);
            assert.deepEqual(got, want, `${series.labels} [${mint}, ${maxt}]`);
          }
        }
      } finally {
        q.close();
      }
    });

    it('lists label names and values, sorted', () => {
      const q = s.storage.querier(0, 100_000);
      assert.deepEqual(q.labelNames(), ['__name__', 'instance', 'job', 'room']);
      assert.deepEqual(q.labelValues('job'), ['api', 'node']);
      assert.deepEqual(q.labelValues('instance', [m('job', '=', 'node')]), ['a', 'b']);
      assert.deepEqual(q.labelNames([m('__name__', '=', 'temp')]), ['__name__', 'room']);
      q.close();
    });

    it('seeks forward only', () => {
      const q = s.storage.querier(0, 100_000);
      const set = q.select(false, undefined, [m('instance', '=', 'b')]);
      assert.ok(set.next());
      const c: SampleCursor = set.at().cursor();
      assert.ok(c.seek(2500));
      assert.deepEqual([c.atT(), c.atV()], [3000, 13]);
      assert.ok(c.seek(1000), 'seeking back stays put');
      assert.equal(c.atT(), 3000);
      assert.ok(c.next());
      assert.equal(c.atT(), 4000);
      assert.equal(c.seek(10_000), false);
      q.close();
    });

    it('keeps uncommitted and rolled-back samples invisible', async () => {
      const app = s.storage.appender();
      app.append(l({ __name__: 'pending' }), 1, 1);
      assert.deepEqual(select(0, 10, m('__name__', '=', 'pending')), []);
      app.rollback();
      const again = s.storage.appender();
      await again.commit();
      assert.deepEqual(select(0, 10, m('__name__', '=', 'pending')), []);
    });

    it('refuses out-of-order samples and duplicates with another value, with typed errors', async () => {
      const series = l({ __name__: 'ooo' });
      const app = s.storage.appender();
      const ref = app.append(series, 5000, 1);
      assert.throws(() => app.append(series, 4000, 2), OutOfOrderSampleError);
      assert.throws(() => app.append(series, 5000, 2), DuplicateSampleError);
      app.append(series, 5000, 1, ref);
      app.append(series, 6000, 3, ref);
      await app.commit();
      const later = s.storage.appender();
      assert.throws(() => later.append(series, 5500, 2), OutOfOrderSampleError);
      later.rollback();
      assert.deepEqual(select(0, 10_000, m('__name__', '=', 'ooo'))[0]?.[1], [
        [5000, 1],
        [6000, 3],
      ]);
    });

    it('stores the staleness marker bit-exact', async () => {
      const app = s.storage.appender();
      app.append(l({ __name__: 'stale' }), 1000, 1);
      app.append(l({ __name__: 'stale' }), 2000, staleNaN);
      await app.commit();
      const q = s.storage.querier(0, 10_000);
      const set = q.select(false, undefined, [m('__name__', '=', 'stale')]);
      assert.ok(set.next());
      const c = set.at().cursor();
      assert.ok(c.seek(2000));
      assert.deepEqual(floatBits(c.atV()), [0x7ff00000, 2]);
      const buf = new SampleBuffer();
      assert.equal(readSamples(set.at().cursor(), 0, 10_000, buf), null);
      assert.equal(buf.n, 2);
      assert.deepEqual(floatBits(buf.vs[1] as number), [0x7ff00000, 2], 'bit-exact through a bulk read too');
      q.close();
    });

    it('handles a thousand series', async () => {
      const app = s.storage.appender();
      for (let i = 0; i < 1000; i++) app.append(l({ __name__: 'many', i: String(i).padStart(4, '0') }), 1000, i);
      await app.commit();
      const got = select(0, 2000, m('__name__', '=', 'many'), m('i', '=~', '0[0-4].*'));
      assert.equal(got.length, 500);
      assert.equal(got[0]?.[0], '{__name__="many", i="0000"}');
      assert.equal(got[499]?.[0], '{__name__="many", i="0499"}');
    });
  });
}
