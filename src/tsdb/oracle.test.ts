// The database against its oracle, Debian's Prometheus 2.42, both ways: a directory vigil wrote (blocks,
// head chunk files, a WAL checkpoint and segments) is read by promtool and served by Prometheus; blocks
// promtool backfilled and directories Prometheus left behind (stopped cleanly, and killed) are read by vigil.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compareLabels, compareStrings, floatFromBits, isStaleNaN, Labels, Matcher, staleNaN } from '../model/index.ts';
import { OutOfBoundsError } from '../storage/index.ts';
import { collect } from '../storage/testing.ts';
import { isUlid } from './block/index.ts';
import { freePort, PROMETHEUS, PROMTOOL, run } from './block/oracle-fixture.ts';
import { Tsdb, type TsdbOptions } from './db.ts';
import { type LoggedLine, recordingLogger } from './wal/testing.ts';

const missing = [PROMETHEUS, PROMTOOL].filter((f) => !existsSync(f));
const skip =
  missing.length > 0
    ? `${missing.join(' and ')} missing: the oracle is Debian's Prometheus 2.42 (apt-get install prometheus)`
    : false;

const HOUR = 3_600_000;
const READY_MS = 30_000;
const EXIT_MS = 15_000;

const root = mkdtempSync(join(tmpdir(), 'vigil-tsdb-oracle-'));
const children = new Set<ChildProcess>();
after(async () => {
  await Promise.all([...children].map((c) => stopChild(c, 'SIGKILL')));
  rmSync(root, { recursive: true, force: true });
});

/** Series as `[labels.toString(), [[t, v], …]]`, sorted by labels. */
type SeriesData = Array<[string, Array<[number, number]>]>;

interface Prometheus {
  readonly child: ChildProcess;
  readonly url: string;
  log(): string;
}

/** Stops a child with `signal` (SIGKILL after EXIT_MS) and resolves with how it ended. */
function stopChild(c: ChildProcess, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve({ code: c.exitCode, signal: c.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), EXIT_MS);
    c.once('exit', (code, sig) => {
      clearTimeout(timer);
      children.delete(c);
      resolve({ code, signal: sig });
    });
    c.kill(signal);
  });
}

/** Starts Prometheus on `dataDir` with `config`, waiting at most READY_MS for `/-/ready`. */
async function startPrometheus(
  dataDir: string,
  config: string,
  extraArgs: readonly string[] = [],
): Promise<Prometheus> {
  const port = await freePort();
  const configFile = join(root, `prometheus-${port}.yml`);
  writeFileSync(configFile, config.replaceAll('PORT', String(port)));
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let log = '';
  child.stdout.on('data', (d: Buffer) => {
    log += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    log += d.toString();
  });
  const p: Prometheus = { child, url: `http://127.0.0.1:${port}`, log: () => log };
  await until(p, async () => (await fetch(`${p.url}/-/ready`, { signal: AbortSignal.timeout(2_000) })).ok, 'ready');
  return p;
}

/** Polls `check` every 200 ms until it holds; fails after READY_MS or when Prometheus exits. */
async function until(p: Prometheus, check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + READY_MS;
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      assert.fail(`prometheus exited (${p.child.exitCode ?? p.child.signalCode}) before ${what}:\n${p.log()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) assert.fail(`prometheus not ${what} within ${READY_MS} ms:\n${p.log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function api<T>(p: Prometheus, path: string, params: Record<string, string>): Promise<T> {
  const res = await fetch(`${p.url}${path}?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; data: T; error?: string };
  assert.equal(body.status, 'success', `${path} ${JSON.stringify(params)}: ${body.error}`);
  return body.data;
}

interface ApiSeries {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

/** A float as Prometheus writes it (JSON API and `promtool tsdb dump`). */
function promFloat(s: string): number {
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  const v = Number(s);
  assert.ok(!Number.isNaN(v) || s === 'NaN', `not a float: ${s}`);
  return v;
}

/** Labels as `Labels.toString()` writes them, from an API metric object. */
const labelsKey = (metric: Record<string, string>) => Labels.fromObject(metric).toString();

/** Every sample in the data directory as `promtool tsdb dump` reads it (blocks, head chunks and WAL). */
async function dump(dir: string): Promise<SeriesData> {
  const out = new Map<string, Array<[number, number]>>();
  const text = await run(PROMTOOL, ['tsdb', 'dump', dir]);
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [, lset, v, t] = /^(\{.*\}) (\S+) (-?\d+)$/.exec(line) ?? [];
    assert.ok(lset !== undefined && v !== undefined && t !== undefined, `promtool tsdb dump line: ${line}`);
    const samples = out.get(lset) ?? [];
    samples.push([Number(t), promFloat(v)]);
    out.set(lset, samples);
  }
  return sortSeries([...out]);
}

const sortSeries = (data: SeriesData): SeriesData =>
  data
    .map(([k, samples]): [string, Array<[number, number]>] => [k, [...samples].sort((a, b) => a[0] - b[0])])
    .sort(([a], [b]) => compareStrings(a, b));

/** What the database returns for `matchers` (all series when none) over all time, in the querier's order. */
function select(db: Tsdb, ...matchers: Matcher[]): SeriesData {
  const q = db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  try {
    return collect(q.select(true, undefined, matchers.length > 0 ? matchers : [m('=~', '__name__', '.+')]));
  } finally {
    q.close();
  }
}

/** The same, sorted as sortSeries sorts (by the labels' text), to compare with other readers. */
const readAll = (db: Tsdb, ...matchers: Matcher[]): SeriesData => sortSeries(select(db, ...matchers));

const m = (type: '=' | '!=' | '=~' | '!~', name: string, value: string) => Matcher.create(type, name, value);
const problems = (lines: readonly LoggedLine[], levels: readonly string[]) =>
  lines.filter((l) => levels.includes(l.level)).map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`);
const ulids = (dir: string) => readdirSync(dir).filter(isUlid).sort();

interface Expected {
  labels: Labels;
  samples: Array<[number, number]>;
}

const toData = (series: readonly Expected[]): SeriesData =>
  sortSeries(series.filter((s) => s.samples.length > 0).map((s) => [s.labels.toString(), s.samples]));

/**
 * What Prometheus 2.42 returns at `ts` for an instant vector selector over `samples`: the newest sample at or
 * before `ts` and at most 5 minutes older (both bounds included), unless it is a staleness marker.
 */
function instant(samples: ReadonlyArray<[number, number]>, ts: number): number | undefined {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((samples[mid] as [number, number])[0] <= ts) lo = mid + 1;
    else hi = mid;
  }
  const s = samples[lo - 1];
  if (s === undefined || s[0] < ts - 5 * 60_000 || isStaleNaN(s[1])) return undefined;
  return s[1];
}

/** The odd values: signed zeros, subnormals, extremes, infinities, a plain NaN, values with long decimals. */
const ODD_VALUES = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.NaN,
  0.1 + 0.2,
  1 / 3,
  1e21,
  123_456_789.123_456_78,
  -1e-7,
  2 ** 53 + 2,
];

describe('Prometheus 2.42 reads what vigil wrote, and vigil reads what Prometheus wrote', { skip }, () => {
  it('vigil → Prometheus: blocks, head chunk files and WAL checkpoint pass promtool and serve the same data', {
    timeout: 90_000,
  }, async () => {
    const STEP = 15_000;
    const end = Math.floor((Date.now() - 10 * 60_000) / STEP) * STEP;
    const start = end - 7 * HOUR;
    const n = (end - start) / STEP + 1;
    const staleHead = n - 1 - 60;
    const staleBlock = 240;
    const series = (o: Record<string, string>, value: (i: number) => number | undefined): Expected => {
      const samples: Array<[number, number]> = [];
      for (let i = 0; i < n; i++) {
        const v = value(i);
        if (v !== undefined) samples.push([start + i * STEP, v]);
      }
      return { labels: Labels.fromObject(o), samples };
    };
    const input: Expected[] = [
      series({ __name__: 'vigil_oracle_requests_total', code: '200', path: '/' }, (i) => 3 * i + Math.floor(i / 7)),
      series({ __name__: 'vigil_oracle_requests_total', code: '500', path: '/caf\u00e9' }, (i) => i * 0.5),
      series({ __name__: 'vigil_oracle_temperature_celsius', room: 'Z\u00fcrich' }, (i) => 20 + 3 * Math.sin(i / 9)),
      series(
        { __name__: 'vigil_oracle_temperature_celsius', room: '\u65e5\u672c', zone: 'b' },
        (i) => -5 + Math.cos(i / 13) / 7,
      ),
      series({ __name__: 'vigil_oracle_odd', case: 'odd floats' }, (i) => ODD_VALUES[i % ODD_VALUES.length]),
      // Ends with a staleness marker a quarter hour before the end: in the head.
      series({ __name__: 'vigil_oracle_stale', phase: 'head' }, (i) =>
        i < staleHead ? i : i === staleHead ? staleNaN : undefined,
      ),
      // Marked stale after an hour (in the first block), back ten minutes later.
      series({ __name__: 'vigil_oracle_stale', phase: 'block' }, (i) =>
        i === staleBlock ? staleNaN : i < staleBlock || i >= staleBlock + 40 ? 100 + i : undefined,
      ),
      // Only in blocks (no staleness marker: Prometheus carries its last value 5 minutes on).
      series({ __name__: 'vigil_oracle_early', job: 'gone' }, (i) => (i < 200 ? -i : undefined)),
      // Only in the head.
      series({ __name__: 'vigil_oracle_late', instance: '127.0.0.1:9100' }, (i) => (i >= n - 120 ? i / 4 : undefined)),
    ];
    const want = toData(input);

    const dir = join(root, 'from-vigil');
    const logger = recordingLogger();
    const lines = logger.lines;
    const db = await Tsdb.open({ dir, logger, walSegmentBytes: 32 * 1024 });
    for (let i = 0; i < n; i += 40) {
      const app = db.appender();
      for (const s of input) {
        for (const [t, v] of s.samples) {
          if (t < start + i * STEP || t >= start + (i + 40) * STEP) continue;
          // The marker itself, not the copy kept in a plain array: V8 may have quieted that one (see the
          // quieted-marker test below).
          app.append(s.labels, t, isStaleNaN(v) ? staleNaN : v);
        }
      }
      await app.commit();
    }
    await db.compact();
    const metas = db.blockMetas();
    const headMint = db.head.minTime;
    assert.deepEqual(readAll(db), want, 'vigil reads back what it wrote');
    await db.close();
    assert.deepEqual(problems(lines, ['warn', 'error']), []);
    // What this test is about: blocks cut by compaction, the rest in head chunk files and the WAL.
    assert.ok(metas.length >= 1 && metas.some((b) => b.maxTime - b.minTime === 2 * HOUR), JSON.stringify(metas));
    assert.ok(headMint >= (metas.at(-1)?.maxTime as number) && headMint < end, `head from ${headMint}`);
    assert.ok(
      readdirSync(join(dir, 'wal')).some((f) => /^checkpoint\.\d+$/.test(f)),
      'a WAL checkpoint',
    );
    assert.ok(readdirSync(join(dir, 'chunks_head')).length > 0, 'head chunk files');

    const forPromtool = join(root, 'from-vigil-promtool');
    const forPrometheus = join(root, 'from-vigil-prometheus');
    cpSync(dir, forPromtool, { recursive: true });
    cpSync(dir, forPrometheus, { recursive: true });

    const analysis = await run(PROMTOOL, ['tsdb', 'analyze', forPromtool]);
    assert.match(analysis, new RegExp(`Block ID: ${metas.at(-1)?.ulid}`));
    for (const b of metas) {
      assert.match(await run(PROMTOOL, ['tsdb', 'analyze', forPromtool, b.ulid]), new RegExp(`Block ID: ${b.ulid}`));
    }
    assert.deepEqual(await dump(forPromtool), want, 'promtool tsdb dump: every sample, bit for bit');

    const prom = await startPrometheus(forPrometheus, 'global: {}\n');
    const range = { start: String(start / 1000), end: String(end / 1000) };

    const listed = await api<Array<Record<string, string>>>(prom, '/api/v1/series', {
      'match[]': '{__name__=~".+"}',
      ...range,
    });
    assert.deepEqual(
      listed.map(labelsKey).sort(compareStrings),
      want.map(([k]) => k),
    );
    const names = new Set(input.flatMap((s) => Object.keys(s.labels.toObject())));
    assert.deepEqual(await api<string[]>(prom, '/api/v1/labels', range), [...names].sort());
    assert.deepEqual(await api<string[]>(prom, '/api/v1/label/room/values', range), ['Z\u00fcrich', '\u65e5\u672c']);

    // Raw samples through a range selector (staleness markers are not returned by those).
    const raw = await api<{ result: ApiSeries[] }>(prom, '/api/v1/query', {
      query: `{__name__=~"vigil_oracle.*"}[${7 * 60 + 1}m]`,
      time: String(end / 1000),
    });
    assert.deepEqual(
      sortSeries(
        raw.result.map((r) => [labelsKey(r.metric), r.values.map(([t, v]) => [Math.round(t * 1000), promFloat(v)])]),
      ),
      toData(input.map((s) => ({ ...s, samples: s.samples.filter(([, v]) => !isStaleNaN(v)) }))),
      'every sample but the staleness markers, through a range selector',
    );

    // A range query on the sample step: each step sees its sample, a staleness marker ends a series.
    const ranged = await api<{ result: ApiSeries[] }>(prom, '/api/v1/query_range', {
      query: '{__name__=~"vigil_oracle.*"}',
      ...range,
      step: String(STEP / 1000),
    });
    const gotRange = sortSeries(
      ranged.result.map((r) => [
        labelsKey(r.metric),
        r.values.map(([t, v]): [number, number] => [Math.round(t * 1000), promFloat(v)]),
      ]),
    );
    const wantRange = sortSeries(
      input.map((s) => {
        const points: Array<[number, number]> = [];
        for (let ts = start; ts <= end; ts += STEP) {
          const v = instant(s.samples, ts);
          if (v !== undefined) points.push([ts, v]);
        }
        return [s.labels.toString(), points];
      }),
    );
    assert.deepEqual(gotRange, wantRange);
    const pointsOf = (phase: string) =>
      gotRange.find(([k]) => k === `{__name__="vigil_oracle_stale", phase="${phase}"}`)?.[1].map(([t]) => t) ?? [];
    assert.equal(pointsOf('head').at(-1), start + (staleHead - 1) * STEP, 'nothing from the staleness marker on');
    assert.ok(
      !pointsOf('block').some((t) => t >= start + staleBlock * STEP && t < start + (staleBlock + 40) * STEP),
      'the marked series is absent until it comes back',
    );

    assert.doesNotMatch(prom.log(), /corrupt|level=error|level=warn/i, `Prometheus log:\n${prom.log()}`);
    assert.match(prom.log(), /WAL replay completed/);
    await stopChild(prom.child, 'SIGTERM');
  });

  it('vigil → Prometheus: a quieted staleness marker is logged to the WAL as the marker', {
    timeout: 60_000,
  }, async () => {
    const quieted = floatFromBits(0x7ff80000, 2);
    assert.ok(isStaleNaN(quieted), 'vigil counts the quieted form as the marker (model/value.ts)');
    const STEP = 15_000;
    const t0 = Math.floor((Date.now() - 30 * 60_000) / STEP) * STEP;
    const dir = join(root, 'quieted-marker');
    const logger = recordingLogger();
    const db = await Tsdb.open({ dir, logger });
    const labels = Labels.fromObject({ __name__: 'vigil_oracle_quieted' });
    const app = db.appender();
    for (let i = 0; i < 4; i++) app.append(labels, t0 + i * STEP, i);
    app.append(labels, t0 + 4 * STEP, quieted);
    await app.commit();
    const [[, samples] = ['', []]] = select(db, m('=', '__name__', 'vigil_oracle_quieted'));
    assert.ok(isStaleNaN(samples[4]?.[1] as number), 'vigil reads a marker');
    await db.close();

    const prom = await startPrometheus(dir, 'global: {}\n');
    const at = async (ms: number) =>
      (
        await api<{ result: Array<{ value: [number, string] }> }>(prom, '/api/v1/query', {
          query: 'vigil_oracle_quieted',
          time: String(ms / 1000),
        })
      ).result.map((r) => r.value[1]);
    try {
      assert.deepEqual(await at(t0 + 3 * STEP), ['3']);
      assert.deepEqual(await at(t0 + 4 * STEP + 1000), [], 'Prometheus sees the series end at the marker');
    } finally {
      await stopChild(prom.child, 'SIGTERM');
    }
  });

  it('Prometheus → vigil: blocks promtool backfilled from OpenMetrics read the same, and take new data and compaction', {
    timeout: 60_000,
  }, async () => {
    const STEP = 30_000;
    const now = Date.now();
    const start = Math.floor((now - 9 * HOUR) / (2 * HOUR)) * 2 * HOUR + 17_000;
    const count = (5 * HOUR) / STEP;
    const families: Array<{
      name: string;
      type: 'counter' | 'gauge';
      suffix: string;
      offsetMs: number;
      sets: Array<Record<string, string>>;
      value: (i: number, series: number) => number;
    }> = [
      {
        name: 'backfill_requests',
        type: 'counter',
        suffix: '_total',
        offsetMs: 0,
        sets: [
          { method: 'GET', path: '/' },
          { method: 'GET', path: '/caf\u00e9' },
          { method: 'POST', path: '/\u65e5\u672c/\u{1d11e}' },
        ],
        value: (i: number, s: number) => i * (s + 1) * 2 + (i % 3),
      },
      {
        name: 'backfill_temperature_celsius',
        type: 'gauge',
        suffix: '',
        offsetMs: 500,
        sets: [{ room: 'Z\u00fcrich' }, { room: 'say "hi" \\ \u0645\u0637\u0628\u062e', floor: '-1' }],
        value: (i: number, s: number) => 20 + Math.sin(i / 11 + s) * 4.25,
      },
      {
        name: 'backfill_up',
        type: 'gauge',
        suffix: '',
        offsetMs: 0,
        sets: [{ job: 'node', instance: 'h\u00f6st:9100' }],
        value: (i: number) => (i % 97 === 5 ? 0 : 1),
      },
    ];
    const input: Expected[] = [];
    const lines: string[] = [];
    for (const f of families) {
      lines.push(`# TYPE ${f.name} ${f.type}`, `# HELP ${f.name} Backfilled for the oracle test.`);
      f.sets.forEach((set, si) => {
        const text = Object.entries(set)
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
          .join(',');
        const samples: Array<[number, number]> = [];
        for (let i = 0; i < count; i++) {
          const t = start + i * STEP + f.offsetMs;
          const v = f.value(i, si);
          samples.push([t, v]);
          lines.push(`${f.name}${f.suffix}{${text}} ${v} ${(t / 1000).toFixed(3)}`);
        }
        input.push({ labels: Labels.fromObject({ ...set, __name__: f.name + f.suffix }), samples });
      });
    }
    lines.push('# EOF', '');
    const file = join(root, 'backfill.om');
    writeFileSync(file, lines.join('\n'));
    const dir = join(root, 'backfilled');
    await run(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dir]);
    const imported = ulids(dir);
    assert.ok(imported.length >= 3, `promtool wrote ${imported.length} blocks`);

    const logger = recordingLogger();
    const logs = logger.lines;
    const options: TsdbOptions = { dir, logger, walSegmentBytes: 32 * 1024 };
    const db = await Tsdb.open(options);
    assert.deepEqual(
      db.blockMetas().map((b) => b.ulid),
      imported,
    );
    const want = toData(input);
    assert.deepEqual(readAll(db), want);
    assert.deepEqual(
      select(db).map(([k]) => k),
      input
        .map((s) => s.labels)
        .sort(compareLabels)
        .map(String),
      'series sorted by labels',
    );
    assert.deepEqual(readAll(db, m('=~', 'path', '/caf\u00e9|/\u65e5.*')), toData(input.slice(1, 3)));
    assert.deepEqual(
      readAll(db, m('=', '__name__', 'backfill_up'), m('=', 'instance', 'h\u00f6st:9100')),
      toData(input.slice(5)),
    );
    {
      const q = db.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
      const names = new Set(input.flatMap((s) => Object.keys(s.labels.toObject())));
      assert.deepEqual(q.labelNames(), [...names].sort(compareStrings));
      assert.deepEqual(q.labelValues('room'), ['Z\u00fcrich', 'say "hi" \\ \u0645\u0637\u0628\u062e']);
      assert.deepEqual(q.labelValues('path', [m('=', 'method', 'GET')]), ['/', '/caf\u00e9']);
      assert.deepEqual(q.labelNames([m('=', '__name__', 'backfill_up')]), ['__name__', 'instance', 'job']);
      q.close();
    }

    // New samples: not inside the imported blocks (out of bounds), but after them, for 4 hours, in existing
    // series and a new one; then compaction cuts head blocks and may merge them with the imported ones.
    const importedEnd = Math.max(...db.blockMetas().map((b) => b.maxTime));
    const late = db.appender();
    assert.throws(() => late.append(input[0]?.labels as Labels, importedEnd - STEP, 1), OutOfBoundsError);
    late.rollback();
    const added: Expected[] = [
      ...input.map((s) => ({ labels: s.labels, samples: [] as Array<[number, number]> })),
      { labels: Labels.fromObject({ __name__: 'backfill_after', note: '\u00e9t\u00e9' }), samples: [] },
    ];
    const first = Math.ceil(importedEnd / STEP) * STEP;
    for (let t = first; t < first + 4 * HOUR; t += 20 * STEP) {
      const app = db.appender();
      for (let u = t; u < t + 20 * STEP; u += STEP) {
        added.forEach((s, i) => {
          const v = i * 1000 + (u - first) / STEP;
          app.append(s.labels, u, v);
          s.samples.push([u, v]);
        });
      }
      await app.commit();
    }
    await db.compact();
    const all = toData(
      added.map((s, i) => ({ labels: s.labels, samples: [...(input[i]?.samples ?? []), ...s.samples] })),
    );
    assert.deepEqual(readAll(db), all, 'the imported samples and the new ones');
    const metas = db.blockMetas();
    assert.ok(metas.length > 0 && (metas.at(-1)?.maxTime as number) > importedEnd, 'head blocks were cut');
    for (const ulid of imported) {
      const kept = metas.find((b) => b.ulid === ulid || b.compaction.sources.includes(ulid));
      assert.ok(kept !== undefined, `imported block ${ulid} is still there or merged into another`);
    }
    await db.close();

    const again = await Tsdb.open(options);
    assert.deepEqual(readAll(again), all, 'after a restart');
    await again.close();
    assert.deepEqual(problems(logs, ['warn', 'error']), []);

    await run(PROMTOOL, ['tsdb', 'analyze', dir]);
    const copy = join(root, 'backfilled-promtool');
    cpSync(dir, copy, { recursive: true });
    assert.deepEqual(await dump(copy), all, 'promtool reads the directory vigil kept appending to');
  });

  for (const stop of ['SIGTERM', 'SIGKILL'] as const) {
    it(`Prometheus → vigil: the data directory of a Prometheus scraping itself, stopped with ${stop}`, {
      timeout: 60_000,
    }, async (t) => {
      const dir = join(root, `scraped-${stop}`);
      mkdirSync(dir);
      const config =
        'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n' +
        'scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: [127.0.0.1:PORT]\n';
      // Stopped cleanly: with 5 s blocks, so that it leaves blocks and head chunk files (written out at
      // shutdown) besides the WAL. Killed: as configured by default, so everything is in the WAL.
      const blocks = stop === 'SIGTERM';
      const extra = blocks ? ['--storage.tsdb.min-block-duration=5s', '--storage.tsdb.max-block-duration=5s'] : [];
      const startMs = Date.now();
      const prom = await startPrometheus(dir, config, extra);
      await until(
        prom,
        async () => {
          const r = await api<{ result: Array<{ value: [number, string] }> }>(prom, '/api/v1/query', {
            query: 'count_over_time(up{job="self"}[1m])',
          });
          const scrapes = Number(r.result[0]?.value[1] ?? 0);
          return scrapes >= 4 && (!blocks || ulids(dir).length >= 1);
        },
        'scraped itself 4 times',
      );
      const ended = await stopChild(prom.child, stop);
      const stopMs = Date.now();
      if (stop === 'SIGTERM') assert.deepEqual(ended, { code: 0, signal: null }, prom.log());
      else assert.equal(ended.signal, 'SIGKILL');

      const copy = join(root, `scraped-${stop}-promtool`);
      cpSync(dir, copy, { recursive: true });
      const logger = recordingLogger();
      const lines = logger.lines;
      const db = await Tsdb.open({ dir, logger });
      try {
        const got = readAll(db);
        const up = got.find(
          ([k]) => k === `{__name__="up", instance="127.0.0.1:${new URL(prom.url).port}", job="self"}`,
        );
        assert.ok(up !== undefined, `no up series among ${got.length}`);
        const ups = up[1].filter(([, v]) => !isStaleNaN(v));
        assert.ok(ups.length >= 4, `${ups.length} samples of up`);
        for (const [ts, v] of ups) {
          assert.equal(v, 1, 'up');
          assert.ok(ts >= startMs - 1000 && ts <= stopMs + 1000, `up at ${ts}, outside [${startMs}, ${stopMs}]`);
        }
        const names = got.map(([k]) => /^\{__name__="([^"]+)"/.exec(k)?.[1] ?? '');
        assert.ok(names.filter((x) => x.startsWith('prometheus_')).length > 100, `${names.length} series`);
        const build = got.find(([k]) => k.startsWith('{__name__="prometheus_build_info"'));
        assert.match(build?.[0] ?? '', /version="2\.42\.0/);
        assert.ok(build?.[1].every(([, v]) => v === 1 || isStaleNaN(v)));
        const headSeries = got.find(([k]) => k.startsWith('{__name__="prometheus_tsdb_head_series"'))?.[1] ?? [];
        assert.ok(
          headSeries.some(([, v]) => v > 100),
          'prometheus_tsdb_head_series counted its own series',
        );
        assert.deepEqual(problems(lines, ['error']), []);
        const replayed = lines.find((l) => l.msg === 'WAL replay completed')?.fields ?? {};
        t.diagnostic(
          `${got.length} series, ${got.reduce((n, [, s]) => n + s.length, 0)} samples, ${db.blockMetas().length} ` +
            `blocks, ${replayed.mmapped_chunks} chunks from chunks_head, ${replayed.samples} samples from the WAL; ` +
            `vigil's warnings: ${problems(lines, ['warn']).join('; ') || 'none'}`,
        );
        if (blocks) {
          assert.ok(db.blockMetas().length >= 1, "Prometheus' blocks are read");
          assert.ok((replayed.mmapped_chunks as number) > 0, "Prometheus' head chunk files are read");
        }
        if (stop === 'SIGTERM')
          assert.deepEqual(problems(lines, ['warn']), [], 'a clean shutdown leaves nothing to repair');

        // The same samples as promtool reads from the directory (staleness markers compare as NaN).
        assert.deepEqual(got, await dump(copy));
      } finally {
        await db.close();
      }
    });
  }
});
