import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../../log/index.ts';
import { Labels, Matcher } from '../../model/index.ts';
import { OutOfBoundsError } from '../../storage/index.ts';
import { collect, storageContract } from '../../storage/testing.ts';
import { Head } from './head.ts';
import { HeadAppender } from './head-append.ts';
import { HeadQuerier } from './head-read.ts';
import { chunkEndTime, rangeEnd } from './mem-series.ts';

const logger = createLogger({ write: () => {} });
const root = mkdtempSync(join(tmpdir(), 'vigil-head-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const newHead = () => new Head({ chunksDir: join(root, `h${dirs++}`, 'chunks_head'), logger });
const storage = (head: Head) => ({
  appender: () => new HeadAppender(head),
  querier: (mint: number, maxt: number) => new HeadQuerier(head, mint, maxt),
});

storageContract('Head', async () => {
  const head = newHead();
  return { storage: storage(head), close: async () => head.close() };
});

describe('head chunks', () => {
  it('estimates chunk ends as Prometheus does', () => {
    assert.equal(rangeEnd(7_200_001, 7_200_000), 14_400_000);
    assert.equal(rangeEnd(0, 7_200_000), 7_200_000);
    // 15 s samples from the start of a range: a quarter (30 samples) took 435 s; 7200 s fits 4.13 such spans.
    assert.equal(chunkEndTime(0, 435_000, 7_200_000), 1_800_000);
    assert.equal(chunkEndTime(0, 7_000_000, 7_200_000), 7_200_000);
  });

  it('cuts 120-sample chunks at a 15 s interval, never across a range boundary, and reads them back', async () => {
    const head = newHead();
    const lbls = Labels.fromObject({ __name__: 'x' });
    const a = new HeadAppender(head);
    const n = 2 * 480 + 100; // a little over two 2h ranges
    for (let i = 0; i < n; i++) a.append(lbls, i * 15_000, i);
    await a.commit();
    const s = head.seriesByLabels(lbls);
    assert.ok(s);
    assert.deepEqual(
      s.mmapped.map((c) => c.numSamples),
      [120, 120, 120, 120, 120, 120, 120, 120],
    );
    assert.ok(s.mmapped.every((c) => Math.floor(c.mint / 7_200_000) === Math.floor(c.maxt / 7_200_000)));
    assert.equal(s.mmapped[3]?.maxt, 7_200_000 - 15_000, 'the 4th chunk ends with the first range');

    const q = new HeadQuerier(head, 0, Number.MAX_SAFE_INTEGER);
    const [[, samples] = ['', []]] = collect(q.select(false, undefined, [Matcher.create('=', '__name__', 'x')]));
    assert.equal(samples.length, n);
    assert.ok(samples.every(([t, v], i) => t === i * 15_000 && v === i));

    const set = q.select(false, undefined, [Matcher.create('=', '__name__', 'x')]);
    assert.ok(set.next());
    const c = set.at().cursor();
    assert.ok(c.seek(1000 * 15_000 - 1));
    assert.deepEqual([c.atT(), c.atV()], [1000 * 15_000, 1000]);
    assert.ok(c.seek(10));
    assert.equal(c.atT(), 1000 * 15_000, 'never moves back');
    assert.equal(c.seek(n * 15_000), false);
    head.close();
  });

  it("keeps a series' chunk buffer from chunk to chunk, and its chunks read back", async () => {
    const head = newHead();
    const lbls = Labels.fromObject({ __name__: 'reused' });
    const appenders = new Set<unknown>();
    const n = 600;
    for (let i = 0; i < n; i++) {
      const a = new HeadAppender(head);
      a.append(lbls, i * 15_000, Math.sin(i) * 100);
      await a.commit();
      appenders.add(head.seriesByLabels(lbls)?.head);
    }
    assert.equal(head.seriesByLabels(lbls)?.mmapped.length, 4);
    assert.equal(appenders.size, 1, 'one appender for all five chunks');
    const q = new HeadQuerier(head, 0, Number.MAX_SAFE_INTEGER);
    const [[, samples] = ['', []]] = collect(q.select(false, undefined, [Matcher.create('=', '__name__', 'reused')]));
    assert.equal(samples.length, n);
    assert.ok(samples.every(([t, v], i) => t === i * 15_000 && v === Math.sin(i) * 100));
    head.close();
  });

  it('reuses pending-sample batches across commits and rollbacks, one per open appender', async () => {
    const head = newHead();
    const lbls = (i: number) => Labels.fromObject({ __name__: 'm', i: String(i) });
    const batches = new Set<unknown>();
    const take = head.batches.take.bind(head.batches);
    head.batches.take = () => {
      const b = take();
      batches.add(b);
      return b;
    };
    for (let round = 0; round < 3; round++) {
      const a = new HeadAppender(head);
      for (let i = 0; i < 1000; i++) a.append(lbls(i), round * 15_000, i);
      await a.commit();
    }
    const r = new HeadAppender(head);
    r.append(lbls(0), 60_000, 1);
    r.rollback();
    assert.equal(batches.size, 1);
    const a = new HeadAppender(head);
    const b = new HeadAppender(head);
    a.append(lbls(1), 75_000, 1);
    b.append(lbls(2), 75_000, 2);
    assert.equal(batches.size, 2, 'concurrent appenders hold their own batch');
    await Promise.all([a.commit(), b.commit()]);
    const q = new HeadQuerier(head, 0, Number.MAX_SAFE_INTEGER);
    const got = collect(q.select(true, undefined, [Matcher.create('=', '__name__', 'm')]));
    assert.equal(got.length, 1000);
    assert.deepEqual(got.find(([l]) => l.includes('"1"'))?.[1].at(-1), [75_000, 1]);
    assert.equal(
      got.reduce((n, [, samples]) => n + samples.length, 0),
      3000 + 2,
    );
    head.close();
  });

  it('refuses samples far behind the newest as out of bounds', async () => {
    const head = newHead();
    const a = new HeadAppender(head);
    a.append(Labels.fromObject({ __name__: 'a' }), 10 * 3600_000, 1);
    await a.commit();
    const b = new HeadAppender(head);
    assert.throws(() => b.append(Labels.fromObject({ __name__: 'b' }), 8 * 3600_000, 1), OutOfBoundsError);
    b.append(Labels.fromObject({ __name__: 'b' }), 9.5 * 3600_000, 1);
    await b.commit();
    head.close();
  });

  it('truncates old chunks, series and head chunk files', async () => {
    const head = newHead();
    const a = new HeadAppender(head);
    for (let i = 0; i < 960; i++) {
      a.append(Labels.fromObject({ __name__: 'kept' }), i * 15_000, i);
      if (i < 400) a.append(Labels.fromObject({ __name__: 'old' }), i * 15_000, i);
    }
    await a.commit();
    head.files.flush();
    head.truncate(7_200_000);
    assert.equal(head.numSeries, 1);
    assert.deepEqual(head.postings.labelValues('__name__'), ['kept']);
    assert.equal(head.minTime, 7_200_000);
    const q = new HeadQuerier(head, 0, Number.MAX_SAFE_INTEGER);
    const got = collect(q.select(false, undefined, [Matcher.create('=~', '__name__', '.+')]));
    assert.equal(got[0]?.[1][0]?.[0], 7_200_000);
    assert.ok(readdirSync(head.files.dir).length >= 1);
    head.close();
  });
});
