import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BlockMetaError } from './errors.ts';
import { type BlockMeta, decodeMeta, encodeMeta, readMeta, writeMeta } from './meta.ts';
import { tempDir } from './testing.ts';

/** meta.json as `promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42) wrote it. */
const prometheusMeta = [
  '{',
  '\t"ulid": "01M8MKBBY8PA25NM8WB5ZNN29F",',
  '\t"minTime": 1795960800000,',
  '\t"maxTime": 1795960830001,',
  '\t"stats": {',
  '\t\t"numSamples": 7,',
  '\t\t"numSeries": 3,',
  '\t\t"numChunks": 3',
  '\t},',
  '\t"compaction": {',
  '\t\t"level": 1,',
  '\t\t"sources": [',
  '\t\t\t"01M8MKBBY8PA25NM8WB5ZNN29F"',
  '\t\t]',
  '\t},',
  '\t"version": 1',
  '}',
].join('\n');

const compacted: BlockMeta = {
  ulid: '01HZX3Q4V8J6M2R9T5W7Y0B1CD',
  minTime: 1_700_000_000_000,
  maxTime: 1_700_007_200_000,
  stats: { numSamples: 7200, numSeries: 12, numChunks: 60, numTombstones: 2 },
  compaction: {
    level: 2,
    sources: ['01HZX3Q4V8J6M2R9T5W7Y0B1CD', '01HZX3Q4V8J6M2R9T5W7Y0B1CE'],
    parents: [{ ulid: '01HZX3Q4V8J6M2R9T5W7Y0B1CE', minTime: 1_700_000_000_000, maxTime: 1_700_003_600_000 }],
    failed: true,
  },
  version: 1,
};

describe('meta.json', () => {
  it('reads and writes the text Prometheus writes', () => {
    const meta = decodeMeta(prometheusMeta, 'meta.json');
    assert.equal(meta.maxTime, 1795960830001);
    assert.deepEqual(meta.stats, { numSamples: 7, numSeries: 3, numChunks: 3 });
    assert.equal(encodeMeta(meta), prometheusMeta);
  });

  it('round-trips every field through a file, atomically', async () => {
    const dir = tempDir('meta');
    const size = await writeMeta(dir, compacted);
    assert.equal(size, readFileSync(join(dir, 'meta.json')).length);
    assert.deepEqual(await readMeta(dir), compacted);
    assert.deepEqual(readdirSync(dir), ['meta.json']);
    const empty: BlockMeta = { ...compacted, stats: { numSamples: 0, numSeries: 0, numChunks: 0 } };
    assert.ok(!encodeMeta(empty).includes('numSamples'));
  });

  it('refuses what is not a block meta, naming the field', async () => {
    const base = JSON.parse(prometheusMeta) as Record<string, unknown>;
    const cases: Array<[string, string, string]> = [
      ['not JSON', '{"ulid":', ''],
      ['an array', '[]', ''],
      ['another version', JSON.stringify({ ...base, version: 2 }), 'version'],
      ['a bad ULID', JSON.stringify({ ...base, ulid: 'nope' }), 'ulid'],
      ['a fractional time', JSON.stringify({ ...base, minTime: 1.5 }), 'minTime'],
      ['a negative count', JSON.stringify({ ...base, stats: { numSeries: -1 } }), 'stats.numSeries'],
      ['a bad source', JSON.stringify({ ...base, compaction: { level: 1, sources: [3] } }), 'compaction.sources[0]'],
      ['no compaction', JSON.stringify({ ...base, compaction: undefined }), 'compaction'],
    ];
    for (const [name, text, field] of cases) {
      assert.throws(
        () => decodeMeta(text, 'x/meta.json'),
        (err) => err instanceof BlockMetaError && err.field === field && err.file === 'x/meta.json',
        name,
      );
    }
    const dir = tempDir('meta-bad');
    writeFileSync(join(dir, 'meta.json'), '{}');
    await assert.rejects(readMeta(dir), BlockMetaError);
  });
});
