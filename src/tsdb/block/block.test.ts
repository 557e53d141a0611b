import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Labels } from '../../model/index.ts';
import { expand } from '../index/postings.ts';
import { openBlock } from './block-reader.ts';
import { BlockWriter, TMP_FOR_CREATION_SUFFIX } from './block-writer.ts';
import { BlockWriteError } from './errors.ts';
import { sampleSeries, tempDir } from './testing.ts';
import { isUlid } from './ulid.ts';
import { type BlockSeriesInput, writeBlock } from './write-block.ts';

/** The sample series with chunk data whose first two bytes count 3 samples each. */
function input(): BlockSeriesInput[] {
  return sampleSeries(2).map((s, i) => ({
    labels: s.labels,
    chunks: s.chunks.map((c, j) => ({
      minTime: c.minTime,
      maxTime: c.maxTime,
      encoding: 1,
      data: Buffer.from([0, 3, i, j, 0xaa]),
    })),
  }));
}

describe('block directory', () => {
  it('writes a block under its ULID and reads it back whole', async () => {
    const data = tempDir('block');
    const series = input();
    const meta = await writeBlock(data, series);
    assert.ok(isUlid(meta.ulid));
    assert.deepEqual(readdirSync(data), [meta.ulid]);
    const dir = join(data, meta.ulid);
    assert.deepEqual(readdirSync(dir).sort(), ['chunks', 'index', 'meta.json', 'tombstones']);
    assert.deepEqual(readdirSync(join(dir, 'chunks')), ['000001']);
    assert.equal(readFileSync(join(dir, 'tombstones')).toString('hex'), '0130ba300100000000');
    assert.deepEqual(meta.stats, { numSamples: 3 * 16, numSeries: 8, numChunks: 16 });
    assert.deepEqual(meta.compaction, { level: 1, sources: [meta.ulid] });
    const chunkTimes = series.flatMap((s) => s.chunks.flatMap((c) => [c.minTime, c.maxTime]));
    assert.equal(meta.minTime, Math.min(...chunkTimes));
    assert.equal(meta.maxTime, Math.max(...chunkTimes) + 1);

    const b = await openBlock(dir);
    assert.deepEqual(b.meta, meta);
    assert.deepEqual(b.tombstones, new Map());
    const refs = expand(b.index.all());
    assert.equal(refs.length, series.length);
    refs.forEach((ref, i) => {
      const s = b.index.series(ref);
      const want = series[i] as BlockSeriesInput;
      assert.ok(s.labels.equals(want.labels));
      assert.deepEqual(
        s.chunks.map((c) => [c.minTime, c.maxTime]),
        want.chunks.map((c) => [c.minTime, c.maxTime]),
      );
      s.chunks.forEach((c, j) => {
        const got = b.chunks.chunk(c.ref);
        assert.equal(got.encoding, 1);
        assert.deepEqual(Buffer.from(got.data), want.chunks[j]?.data);
      });
    });
  });

  it('keeps the block in a temporary directory until commit, and removes it on abort', async () => {
    const data = tempDir('block-tmp');
    const w = await BlockWriter.create(data, { ulid: '01HZX3Q4V8J6M2R9T5W7Y0B1CD' });
    assert.deepEqual(readdirSync(data), [`01HZX3Q4V8J6M2R9T5W7Y0B1CD${TMP_FOR_CREATION_SUFFIX}`]);
    w.index.addSymbol('');
    await w.commit({
      minTime: 0,
      maxTime: 1,
      stats: { numSamples: 0, numSeries: 0, numChunks: 0 },
      compaction: { level: 1, sources: [] },
    });
    assert.deepEqual(readdirSync(data), ['01HZX3Q4V8J6M2R9T5W7Y0B1CD']);
    await assert.rejects(
      w.commit({
        minTime: 0,
        maxTime: 1,
        stats: { numSamples: 0, numSeries: 0, numChunks: 0 },
        compaction: { level: 1, sources: [] },
      }),
      BlockWriteError,
    );
    const empty = await openBlock(join(data, '01HZX3Q4V8J6M2R9T5W7Y0B1CD'));
    assert.deepEqual(expand(empty.index.all()), []);
    assert.deepEqual(empty.index.symbols(), ['']);

    const w2 = await BlockWriter.create(data, { ulid: '01HZX3Q4V8J6M2R9T5W7Y0B1CE' });
    w2.chunks.write(1, Buffer.from([0, 1, 2]));
    await w2.abort();
    await w2.abort();
    assert.deepEqual(readdirSync(data), ['01HZX3Q4V8J6M2R9T5W7Y0B1CD']);
  });

  it('leaves nothing behind when the series break the writer contract', async () => {
    const data = tempDir('block-bad');
    const series = input().reverse();
    await assert.rejects(writeBlock(data, series), BlockWriteError);
    assert.deepEqual(readdirSync(data), []);
    const unsorted = [
      { labels: Labels.fromObject({ b: '1' }), chunks: [] },
      { labels: Labels.fromObject({ a: '1' }), chunks: [] },
    ];
    await assert.rejects(writeBlock(data, unsorted, { ulid: '01HZX3Q4V8J6M2R9T5W7Y0B1CF' }), BlockWriteError);
    assert.ok(!existsSync(join(data, '01HZX3Q4V8J6M2R9T5W7Y0B1CF')));
  });
});
