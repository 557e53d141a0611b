/**
 * The oracle: Debian's Prometheus 2.42. promtool writes a block from OpenMetrics input and vigil must read it;
 * vigil writes a block from those chunks and promtool and a running Prometheus must read it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareStrings, Matcher, type MatchType } from '../../model/index.ts';
import { Encoding, XorIterator } from '../chunkenc/index.ts';
import { expand } from '../index/postings.ts';
import { postingsForMatchers } from '../index/select.ts';
import { type BlockReader, openBlock } from './block-reader.ts';
import type { BlockMeta } from './meta.ts';
import {
  type OracleInput,
  openMetricsInput,
  oracleMissing,
  PROMTOOL,
  type RunningPrometheus,
  run,
  startPrometheus,
} from './oracle-fixture.ts';
import { tempDir } from './testing.ts';
import { type BlockSeriesInput, writeBlock } from './write-block.ts';

const m = (type: MatchType, name: string, value: string) => Matcher.create(type, name, value);

describe('Prometheus 2.42 oracle', { skip: oracleMissing }, () => {
  let input: OracleInput;
  let promDir: string;
  let block: BlockReader;
  const dir = tempDir('oracle');

  before(async () => {
    input = openMetricsInput(Date.now());
    writeFileSync(join(dir, 'input.om'), input.text);
    await run(PROMTOOL, [
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      join(dir, 'input.om'),
      join(dir, 'out'),
    ]);
    const blocks = readdirSync(join(dir, 'out'));
    assert.equal(blocks.length, 1, `one block, got ${blocks.join()}`);
    promDir = join(dir, 'out', blocks[0] as string);
    block = await openBlock(promDir);
  });

  it("reads promtool's meta, symbols, label names and values", () => {
    const samples = input.series.flatMap((s) => s.samples);
    const times = samples.map(([t]) => t);
    assert.deepEqual(block.meta.stats, {
      numSamples: samples.length,
      numSeries: input.series.length,
      numChunks: block.meta.stats.numChunks,
    });
    assert.equal(block.meta.minTime, Math.min(...times));
    assert.equal(block.meta.maxTime, Math.max(...times) + 1);
    const names = new Map<string, Set<string>>();
    for (const s of input.series) {
      s.labels.forEach((n, v) => {
        names.set(n, (names.get(n) ?? new Set()).add(v));
      });
    }
    const symbols = new Set(['', ...names.keys(), ...[...names.values()].flatMap((vs) => [...vs])]);
    assert.deepEqual(block.index.symbols(), [...symbols].sort(compareStrings));
    assert.deepEqual(block.index.labelNames(), [...names.keys()].sort(compareStrings));
    for (const [n, vs] of names) assert.deepEqual(block.index.labelValues(n), [...vs].sort(compareStrings), n);
  });

  it('selects the series the matchers select in the input', () => {
    const refs = expand(block.index.all());
    assert.equal(refs.length, input.series.length);
    const cases: Matcher[][] = [
      [m('=', '__name__', 'vigil_requests_total')],
      [m('=', '__name__', 'vigil_requests_total'), m('=~', 'path', '/(caf\u00e9|\u{1d11e})')],
      [m('=~', '__name__', 'vigil_.+'), m('!=', 'code', '200')],
      [m('=', 'room', 'say "hi"')],
      [m('=~', '__name__', '.+'), m('!~', 'room', 'Z.*|say.*')],
      [m('=', 'job', 'vigil'), m('=', 'instance', '')],
    ];
    for (const ms of cases) {
      const want = input.series.flatMap((s, i) => (ms.every((x) => x.matches(s.labels.get(x.name))) ? [i] : []));
      const got = expand(postingsForMatchers(block.index, ms)).map((ref) => refs.indexOf(ref));
      assert.deepEqual(got, want, ms.join(','));
    }
  });

  it('reads series labels, chunk metas and intact chunks holding the input samples', () => {
    const refs = expand(block.index.all());
    let chunks = 0;
    refs.forEach((ref, i) => {
      const s = block.index.series(ref);
      const want = input.series[i];
      assert.ok(want !== undefined && s.labels.equals(want.labels), s.labels.toString());
      assert.ok(s.chunks.length >= 2, `${s.labels} has ${s.chunks.length} chunks`);
      assert.equal(s.chunks[0]?.minTime, want.samples[0]?.[0]);
      assert.equal(s.chunks[s.chunks.length - 1]?.maxTime, want.samples[want.samples.length - 1]?.[0]);
      const got: Array<[number, number]> = [];
      for (const c of s.chunks) {
        const { encoding, data } = block.chunks.chunk(c.ref);
        assert.equal(encoding, Encoding.XOR);
        const it = new XorIterator(data);
        const before = got.length;
        while (it.next()) got.push([it.atT(), it.at()]);
        assert.equal(it.err(), null);
        assert.equal(got[before]?.[0], c.minTime);
        assert.equal(got[got.length - 1]?.[0], c.maxTime);
      }
      assert.deepEqual(got, want.samples);
      chunks += s.chunks.length;
    });
    assert.equal(chunks, block.meta.stats.numChunks);
  });

  describe('a block vigil writes from those chunks', () => {
    let prometheus: RunningPrometheus | undefined;
    // Registered before the directory's removal, so Prometheus has exited when it goes.
    after(async () => {
      await prometheus?.stop();
    });
    const dataDir = join(tempDir('oracle-vigil'), 'data');
    let meta: BlockMeta;

    before(async () => {
      mkdirSync(dataDir);
      const series: BlockSeriesInput[] = expand(block.index.all()).map((ref) => {
        const s = block.index.series(ref);
        return { labels: s.labels, chunks: s.chunks.map((c) => ({ ...c, ...block.chunks.chunk(c.ref) })) };
      });
      meta = await writeBlock(dataDir, series, { minTime: block.meta.minTime, maxTime: block.meta.maxTime });
    });

    it("is byte for byte promtool's block", () => {
      const dir = join(dataDir, meta.ulid);
      for (const f of ['index', 'chunks/000001', 'tombstones']) {
        assert.ok(readFileSync(join(dir, f)).equals(readFileSync(join(promDir, f))), f);
      }
      const promMeta = readFileSync(join(promDir, 'meta.json'), 'utf8').replaceAll(block.meta.ulid, meta.ulid);
      assert.equal(readFileSync(join(dir, 'meta.json'), 'utf8'), promMeta);
      assert.deepEqual(readdirSync(join(dir, 'chunks')), readdirSync(join(promDir, 'chunks')));
    });

    it('passes promtool tsdb analyze, and promtool tsdb dump lists the input samples', async () => {
      const analysis = await run(PROMTOOL, ['tsdb', 'analyze', dataDir]);
      assert.match(analysis, new RegExp(`Block ID: ${meta.ulid}`));
      assert.match(analysis, new RegExp(`Series: ${input.series.length}\\n`));
      // A read-only open of a data directory needs its WAL directory, which every Prometheus data dir has.
      mkdirSync(join(dataDir, 'wal'), { recursive: true });
      const dump = await run(PROMTOOL, ['tsdb', 'dump', dataDir]);
      const got = new Map<string, Array<[number, number]>>();
      for (const line of dump.trim().split('\n')) {
        const [, lset, v, t] = /^(\{.*\}) (\S+) (\d+)$/.exec(line) ?? [];
        assert.ok(lset !== undefined, line);
        got.set(lset, [...(got.get(lset) ?? []), [Number(t), Number(v)]]);
      }
      assert.deepEqual(got, new Map(input.series.map((s) => [s.labels.toString(), s.samples])));
    });

    it('is served by a running Prometheus: /api/v1/series and /api/v1/query_range', { timeout: 60_000 }, async () => {
      const config = join(dataDir, '..', 'prometheus.yml');
      writeFileSync(config, 'global: {}\n');
      prometheus = await startPrometheus(dataDir, config);
      const api = async (path: string, params: Record<string, string>) => {
        const res = await fetch(`${prometheus?.url}${path}?${new URLSearchParams(params)}`, {
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await res.json()) as { status: string; data: unknown };
        assert.equal(body.status, 'success', JSON.stringify(body));
        return body.data;
      };
      const start = String(block.meta.minTime / 1000);
      const end = String((block.meta.maxTime - 1) / 1000);
      const series = (await api('/api/v1/series', { 'match[]': '{__name__=~".+"}', start, end })) as Record<
        string,
        string
      >[];
      const key = (o: Record<string, string>) =>
        JSON.stringify(Object.entries(o).sort(([a], [b]) => compareStrings(a, b)));
      assert.deepEqual(series.map(key).sort(), input.series.map((s) => key(s.labels.toObject())).sort());

      // Series sampled on the step: each step's value is the sample at that time.
      const step = String(input.stepMs / 1000);
      const range = (await api('/api/v1/query_range', { query: 'vigil_requests_total or up', start, end, step })) as {
        result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;
      };
      const aligned = input.series.filter((s) => s.samples[0]?.[0] === input.startMs);
      assert.equal(range.result.length, aligned.length);
      for (const r of range.result) {
        const want = aligned.find((s) => key(s.labels.toObject()) === key(r.metric));
        assert.ok(want !== undefined, key(r.metric));
        assert.deepEqual(
          r.values.map(([t, v]) => [Math.round(t * 1000), Number(v)]),
          want.samples,
        );
      }
      assert.doesNotMatch(prometheus.log(), /level=error/);
    });
  });
});
