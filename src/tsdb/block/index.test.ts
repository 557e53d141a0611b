import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareStrings, Labels, Matcher, type MatchType } from '../../model/index.ts';
import { expand } from '../index/postings.ts';
import { postingsForMatchers } from '../index/select.ts';
import { BlockCorruptionError, BlockWriteError } from './errors.ts';
import { IndexReader } from './index-reader.ts';
import { IndexWriter } from './index-writer.ts';
import { sampleSeries, tempDir } from './testing.ts';
import type { IndexSeries } from './types.ts';

function symbolsOf(series: readonly IndexSeries[]): string[] {
  const set = new Set<string>(['']);
  for (const s of series) {
    s.labels.forEach((n, v) => {
      set.add(n).add(v);
    });
  }
  return [...set].sort(compareStrings);
}

async function writeIndex(path: string, series: readonly IndexSeries[]): Promise<number[]> {
  const w = IndexWriter.create(path);
  for (const s of symbolsOf(series)) w.addSymbol(s);
  const refs = series.map((s) => w.addSeries(s.labels, s.chunks));
  await w.close();
  return refs;
}

const m = (type: MatchType, name: string, value: string) => Matcher.create(type, name, value);

describe('index', () => {
  const series = sampleSeries(3);
  const dir = tempDir('index');
  const path = join(dir, 'index');

  it('round-trips symbols, label names and values, postings and series', async () => {
    const refs = await writeIndex(path, series);
    assert.ok(refs.every((r, i) => i === 0 || r > (refs[i - 1] as number)));
    const r = await IndexReader.open(path);
    assert.deepEqual(r.symbols(), symbolsOf(series));
    assert.deepEqual(r.labelNames(), ['__name__', 'code', 'floor', 'instance', 'job', 'path', 'room']);
    // UTF-8 byte order: U+FFEE sorts before the astral U+1D11E, unlike UTF-16 order.
    assert.deepEqual(r.labelValues('path'), ['/caf\u00e9', '/\uffee', '/\u{1d11e}']);
    assert.deepEqual(r.labelValues('nope'), []);
    assert.deepEqual(expand(r.all()), refs);
    refs.forEach((ref, i) => {
      const got = r.series(ref);
      assert.ok(got.labels.equals((series[i] as IndexSeries).labels), got.labels.toString());
      assert.deepEqual(got.chunks, (series[i] as IndexSeries).chunks);
    });
    assert.deepEqual(expand(r.postings('job', 'node')), refs.slice(-3, -1));
    assert.deepEqual(expand(r.postings('job', 'nope')), []);
  });

  it('selects series by matchers as a brute-force scan does', async () => {
    const r = await IndexReader.open(path);
    const refs = expand(r.all());
    const cases: Matcher[][] = [
      [m('=', '__name__', 'up')],
      [m('=', '__name__', 'up'), m('!=', 'job', 'vigil')],
      [m('=~', 'path', '/.+')],
      [m('=~', '__name__', 'up|temp_celsius'), m('=', 'instance', '')],
      [m('!~', 'code', '5..'), m('=~', '__name__', '.+')],
      [m('=', 'room', '\u65e5\u672c')],
      [m('=', 'floor', '2'), m('=', 'room', 'attic')],
    ];
    for (const ms of cases) {
      const want = refs.filter((ref) => ms.every((x) => x.matches(r.series(ref).labels.get(x.name))));
      assert.deepEqual(expand(postingsForMatchers(r, ms)), want, ms.join(','));
    }
  });

  it('reports a corrupt file as BlockCorruptionError, whatever byte is flipped or cut', async () => {
    const good = readFileSync(path);
    const readAll = (b: Buffer) => {
      const r = new IndexReader(b, 'idx');
      for (const name of ['', ...r.labelNames()]) {
        for (const v of name === '' ? [''] : r.labelValues(name)) {
          const p = r.postings(name, v);
          while (p.next()) r.series(p.at());
          if (p.err() !== null) throw p.err();
        }
      }
    };
    readAll(good);
    let detected = 0;
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] = (bad[i] as number) ^ 0x10;
      try {
        readAll(bad);
      } catch (err) {
        assert.ok(err instanceof BlockCorruptionError, `flip at ${i}: ${String(err)}`);
        assert.equal(err.file, 'idx');
        detected++;
      }
    }
    // Only padding and the label indices and label offset table, which readers skip, may change unnoticed.
    assert.ok(detected > good.length * 0.6, `${detected} of ${good.length}`);
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => readAll(good.subarray(0, n)), BlockCorruptionError, `cut at ${n}`);
    }
  });
});

describe('index writer contract', () => {
  const dir = tempDir('index-contract');
  const rule = (fn: () => unknown, want: string) =>
    assert.throws(fn, (e) => e instanceof BlockWriteError && e.rule === want, want);
  const a = Labels.fromObject({ __name__: 'a' });
  const b = Labels.fromObject({ __name__: 'b' });

  it('refuses symbols out of UTF-8 byte order, and after series', async () => {
    const w = IndexWriter.create(join(dir, 'symbols'));
    w.addSymbol('\uffee');
    rule(() => w.addSymbol('\uffee'), 'symbol-order');
    w.addSymbol('\u{1d11e}');
    rule(() => w.addSymbol('z'), 'symbol-order');
    await w.abort();
    const w2 = IndexWriter.create(join(dir, 'stage'));
    for (const s of ['__name__', 'a', 'b']) w2.addSymbol(s);
    w2.addSeries(a, []);
    rule(() => w2.addSymbol('c'), 'stage');
    await w2.close();
    rule(() => w2.addSeries(b, []), 'stage');
  });

  it('refuses series out of order, unknown symbols and bad chunks, writing nothing for them', async () => {
    const path = join(dir, 'series');
    const w = IndexWriter.create(path);
    for (const s of ['__name__', 'a', 'b']) w.addSymbol(s);
    rule(() => w.addSeries(Labels.empty, []), 'series-order');
    rule(() => w.addSeries(Labels.fromObject({ __name__: 'c' }), []), 'unknown-symbol');
    const ref = w.addSeries(b, []);
    rule(() => w.addSeries(a, []), 'series-order');
    rule(() => w.addSeries(b, []), 'series-order');
    await w.close();
    const r = await IndexReader.open(path);
    assert.deepEqual(expand(r.all()), [ref]);

    const w2 = IndexWriter.create(join(dir, 'chunks'));
    for (const s of ['__name__', 'a']) w2.addSymbol(s);
    const bad = [
      [{ ref: 8, minTime: 10, maxTime: 5 }],
      [
        { ref: 8, minTime: 0, maxTime: 10 },
        { ref: 40, minTime: 10, maxTime: 20 },
      ],
      [
        { ref: 40, minTime: 0, maxTime: 10 },
        { ref: 8, minTime: 11, maxTime: 20 },
      ],
      [{ ref: -1, minTime: 0, maxTime: 10 }],
      [{ ref: 8, minTime: 2 ** 60, maxTime: 2 ** 60 }],
    ];
    for (const chunks of bad) rule(() => w2.addSeries(a, chunks), 'chunk-order');
    await w2.abort();
  });
});
