import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import { Labels, Matcher } from '../model/index.ts';
import { collect, storageContract } from '../storage/testing.ts';
import { Tsdb, type TsdbOptions } from './db.ts';

const root = mkdtempSync(join(tmpdir(), 'vigil-tsdb-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const logs: string[] = [];
const logger = createLogger({ write: (l) => logs.push(l) });
const open = (dir = join(root, `db${n++}`), extra: Partial<TsdbOptions> = {}) => Tsdb.open({ dir, logger, ...extra });
const all = [Matcher.create('=~', '__name__', '.+')];
const read = (db: Tsdb, mint = 0, maxt = Number.MAX_SAFE_INTEGER) => {
  const q = db.querier(mint, maxt);
  try {
    return collect(q.select(true, undefined, all));
  } finally {
    q.close();
  }
};

storageContract('Tsdb', async () => {
  const db = await open();
  return { storage: db, close: () => db.close() };
});

/** Appends `count` samples at 15 s for `series` series starting at `start`, committing every `batch` rounds. */
async function fill(db: Tsdb, series: number, count: number, start = 0, batch = 40): Promise<void> {
  const labels = Array.from({ length: series }, (_, i) => Labels.fromObject({ __name__: 'm', i: String(i) }));
  for (let k = 0; k < count; k += batch) {
    const app = db.appender();
    for (let j = k; j < Math.min(count, k + batch); j++) {
      for (const [i, l] of labels.entries()) app.append(l, start + j * 15_000, j * 10 + i);
    }
    await app.commit();
  }
}

describe('Tsdb', () => {
  it('replays the WAL and the head chunk files after a restart', async () => {
    const dir = join(root, 'restart');
    const db = await open(dir);
    await fill(db, 5, 300);
    const before = read(db);
    await db.close();
    const again = await open(dir);
    assert.deepEqual(read(again), before);
    assert.equal(before[0]?.[1].length, 300);
    assert.ok(readdirSync(join(dir, 'chunks_head')).length > 0);
    // Appending after the restart continues the series.
    const app = again.appender();
    app.append(Labels.fromObject({ __name__: 'm', i: '0' }), 300 * 15_000, 1);
    await app.commit();
    assert.equal(read(again)[0]?.[1].length, 301);
    await again.close();
  });

  it('persists the head as 2h blocks, checkpoints the WAL, and reads blocks and head together', async () => {
    const dir = join(root, 'compact');
    const db = await open(dir, { walSegmentBytes: 32 * 1024 });
    const count = 4 * 240 + 60; // 4h15m at 15 s
    await fill(db, 20, count);
    const before = read(db);
    await db.compact();
    const metas = db.blockMetas();
    assert.equal(metas.length, 1, 'the head keeps 1.5 ranges: one 2h block is cut');
    assert.deepEqual([metas[0]?.minTime, metas[0]?.maxTime], [0, 7_200_000]);
    assert.equal(metas[0]?.stats.numSamples, 20 * 480);
    assert.equal(db.head.minTime, 7_200_000);
    assert.deepEqual(read(db), before, 'block and head together give every sample once');
    assert.ok(readdirSync(join(dir, 'wal')).some((f) => f.startsWith('checkpoint.')));
    await db.close();
    const again = await open(dir);
    assert.deepEqual(read(again), before, 'the same after a restart');
    await again.close();
  });

  it('merges 2h blocks up to a 6h block, never touching the newest', async () => {
    const db = await open(undefined, { walSegmentBytes: 32 * 1024 });
    const ranges = () => db.blockMetas().map((m) => [m.minTime / 3600_000, m.maxTime / 3600_000, m.compaction.level]);
    await fill(db, 3, 4 * 480);
    await db.compact();
    assert.deepEqual(ranges(), [
      [0, 4, 2],
      [4, 6, 1],
    ]);
    await fill(db, 3, 480, 4 * 480 * 15_000);
    const before = read(db);
    await db.compact();
    assert.deepEqual(ranges(), [
      [0, 6, 3],
      [6, 8, 1],
    ]);
    assert.deepEqual(read(db), before);
    assert.equal(db.blockMetas()[0]?.compaction.sources.length, 3, 'sources are the original 2h blocks');
    await db.close();
  });

  it('deletes by matchers and time range in blocks and head, across restarts and clean-up', async () => {
    const dir = join(root, 'delete');
    const db = await open(dir);
    await fill(db, 3, 4 * 240 + 60);
    await db.compact();
    assert.equal(db.blockMetas().length, 1);
    const from = 3600_000;
    const to = 3 * 3600_000;
    const hit = await db.delete(from, to, [Matcher.create('=', 'i', '1')]);
    assert.equal(hit, 2, 'the series in the block and in the head');
    const check = (d: Tsdb) => {
      const got = read(d);
      const one = got.find(([l]) => l.includes('i="1"'))?.[1] ?? [];
      assert.ok(one.length > 0);
      assert.ok(
        one.every(([t]) => t < from || t > to),
        'no sample of i=1 in the deleted range',
      );
      assert.ok(one.some(([t]) => t === from - 15_000) && one.some(([t]) => t === to + 15_000), 'neighbours kept');
      const zero = got.find(([l]) => l.includes('i="0"'))?.[1] ?? [];
      assert.equal(zero.length, 4 * 240 + 60, 'other series untouched');
    };
    check(db);
    await db.close();
    const again = await open(dir);
    check(again);
    assert.equal(await again.cleanTombstones(), 1);
    check(again);
    assert.equal(again.blockMetas()[0]?.stats.numSamples, 3 * 480 - 240, 'deleted samples are gone from disk');
    await again.close();
  });

  it('starts after a torn WAL tail, saying so, with every earlier sample', async () => {
    const dir = join(root, 'torn');
    const db = await open(dir);
    await fill(db, 2, 50);
    const before = read(db);
    await db.close();
    const segments = readdirSync(join(dir, 'wal'))
      .filter((f) => /^\d+$/.test(f))
      .sort();
    appendFileSync(join(dir, 'wal', segments.at(-1) as string), Buffer.from([1, 0, 9, 0xde, 0xad]));
    logs.length = 0;
    const again = await open(dir);
    assert.deepEqual(read(again), before);
    assert.ok(
      logs.some((l) => l.includes('torn or corrupt record')),
      logs.join(''),
    );
    await again.close();
  });

  it('drops blocks beyond retention', async () => {
    const db = await open(undefined, { retentionMs: 3 * 3600_000 });
    await fill(db, 1, 10 * 240);
    await db.compact();
    const metas = db.blockMetas();
    assert.ok(metas.length >= 1);
    const newest = Math.max(...metas.map((m) => m.maxTime));
    assert.ok(metas.every((m) => newest - m.maxTime <= 3 * 3600_000));
    assert.ok(existsSync(db.options.dir));
    await db.close();
  });
});
