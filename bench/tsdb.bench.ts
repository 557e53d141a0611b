// The TSDB end to end on a synthetic scrape workload (bench/tsdb-workload.ts: ~10k series of an exporter mix,
// every 15 s for 8 h), against Prometheus 2.42 on the same data:
// 1. append: scrape-style, one appender per scrape of all series at one timestamp, series refs reused after
//    the first scrape, one commit per scrape, WAL on (default fsync policy 'segment'); samples/s with the process
//    pinned to one core (taskset), and per CPU second. Generating the values is outside the timed part.
// 2. bytes per sample in blocks: compact() turns all but the head into 2 h blocks (retention 24 h, so the
//    planner merges nothing and the blocks match promtool's); the same samples go into an OpenMetrics file for
//    `promtool tsdb create-blocks-from openmetrics`; whole block directories / samples on each side. The two
//    sets of blocks are compared sample by sample to prove they hold the same data.
// 3. head memory per series: vigil in a fresh child process (bench/tsdb-head-memory.ts); Prometheus scraping
//    the same series from a local target until its head holds as many samples per series (see
//    bench/tsdb-prometheus.ts). RSS deltas, and live heap deltas after a forced GC.
// 4. select: every sample of every series over the blocks' whole range, through cursors.
// Run with `npm run bench -- tsdb [--quick] [--no-prometheus] [--series N] [--hours H] [--only head-memory]`;
// `--only head-memory` measures figure 3 alone and writes bench/results/tsdb-head-memory.json.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src/log/index.ts';
import type { Labels } from '../src/model/index.ts';
import { type BlockMeta, readMeta } from '../src/tsdb/block/index.ts';
import { Tsdb } from '../src/tsdb/index.ts';
import { writeResults } from './results.ts';
import { type BlockSize, blockSize, compareBlocks, readAll, round, totals } from './tsdb-blocks.ts';
import {
  prometheusBin,
  prometheusHeadMemory,
  prometheusVersion,
  promtoolBin,
  promtoolCreateBlocks,
} from './tsdb-prometheus.ts';
import { scrapeIntervalMs, Workload } from './tsdb-workload.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SERIES = option('--series', quick ? 1_000 : 10_000);
const HOURS = option('--hours', quick ? 6 : 8);
const ROUNDS = Math.round((HOURS * 3600_000) / scrapeIntervalMs);
/** Samples per series in the head for the memory comparison: 1 h at 15 s. */
const HEAD_SAMPLES = quick ? 60 : 240;
const PROMETHEUS_SCRAPE_MS = quick ? 100 : 500;
const SELECT_ROUNDS = 3;
const withPrometheus = !args.includes('--no-prometheus') && existsSync(prometheusBin) && existsSync(promtoolBin);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'head-memory') throw new Error(`--only: unknown part ${only} (head-memory)`);

const childScript = new URL('./tsdb-head-memory.ts', import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'vigil-bench-tsdb-'));
const logger = createLogger({ level: 'warn' });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const perSec = (n: number, ms: number) => Math.round(n / (ms / 1000));

/**
 * Pins every thread of this process (V8's GC helpers too) to CPU 0 with taskset; returns a function that
 * restores the previous mask, or null when taskset is missing.
 */
function pinToOneCore(): (() => void) | null {
  const pid = String(process.pid);
  const shown = spawnSync('taskset', ['-p', pid], { encoding: 'utf8' });
  const mask = /:\s*([0-9a-f]+)\s*$/.exec(shown.stdout ?? '')?.[1];
  if (shown.status !== 0 || mask === undefined) return null;
  if (spawnSync('taskset', ['-a', '-p', '-c', '0', pid]).status !== 0) return null;
  return () => {
    spawnSync('taskset', ['-a', '-p', mask, pid]);
  };
}

async function append(db: Tsdb, wl: Workload) {
  const unpin = pinToOneCore();
  const refs = new Array<number>(wl.size).fill(0);
  const perHour = 3600_000 / scrapeIntervalMs;
  const hourly: number[] = [];
  let firstMs = 0;
  let steadyMs = 0;
  let hourMs = 0;
  let cpuMicros = 0;
  try {
    for (let k = 0; k < ROUNDS; k++) {
      wl.step();
      const t = wl.timestampMs(k);
      const cpu = process.cpuUsage();
      const start = performance.now();
      const app = db.appender();
      const { labels, values } = wl;
      for (let i = 0; i < wl.size; i++) refs[i] = app.append(labels[i] as Labels, t, values[i] as number, refs[i]);
      await app.commit();
      const ms = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (k === 0) firstMs = ms;
      else {
        steadyMs += ms;
        cpuMicros += used.user + used.system;
      }
      hourMs += ms;
      if ((k + 1) % perHour === 0) {
        hourly.push(perSec(wl.size * perHour, hourMs));
        hourMs = 0;
      }
    }
  } finally {
    unpin?.();
  }
  return {
    samples: wl.size * ROUNDS,
    samplesPerSec: perSec(wl.size * (ROUNDS - 1), steadyMs),
    goalSamplesPerSec: 1_500_000,
    firstScrapeMs: round(firstMs, 1),
    firstScrapeSeriesPerSec: perSec(wl.size, firstMs),
    samplesPerSecByHour: hourly,
    pinnedToOneCore: unpin !== null,
    /** Below 1 when another process shared the core; samplesPerCpuSec is then the fairer figure. */
    cpuPerWall: round(cpuMicros / 1000 / steadyMs, 2),
    samplesPerCpuSec: perSec(wl.size * (ROUNDS - 1), cpuMicros / 1000),
    walFsync: 'segment (default)',
  };
}

function blockSizes(dirs: readonly string[], metas: readonly BlockMeta[]): BlockSize[] {
  return metas.map((m, i) => blockSize(dirs[i] as string, m)).sort((a, b) => a.minTime - b.minTime);
}

async function select(db: Tsdb, blocks: readonly BlockSize[]) {
  const mint = (blocks[0] as BlockSize).minTime;
  const maxt = (blocks.at(-1) as BlockSize).maxTime - 1;
  const whole: number[] = [];
  const perBlock: number[] = [];
  let samples = 0;
  let selectMs = 0;
  let cpuMicros = 0;
  for (let r = 0; r < SELECT_ROUNDS; r++) {
    globalThis.gc?.();
    const cpu = process.cpuUsage();
    const res = readAll(db.querier(mint, maxt));
    const used = process.cpuUsage(cpu);
    cpuMicros += used.user + used.system;
    samples = res.samples;
    selectMs = res.selectMs;
    whole.push(res.totalMs);
    globalThis.gc?.();
    perBlock.push(blocks.reduce((ms, b) => ms + readAll(db.querier(b.minTime, b.maxTime - 1)).totalMs, 0));
  }
  return {
    samples,
    samplesPerSec: perSec(samples, median(whole)),
    goalSamplesPerSec: 20_000_000,
    samplesPerCpuSec: perSec(samples * SELECT_ROUNDS, cpuMicros / 1000),
    msMedian: round(median(whole), 1),
    selectCallMs: round(selectMs, 1),
    blockByBlockSamplesPerSec: perSec(samples, median(perBlock)),
    note: `${blocks.length} blocks read as one range (series merged across blocks) and block by block (no merge); median of ${SELECT_ROUNDS}`,
  };
}

/** The samples in vigil's blocks, as OpenMetrics, through promtool; sizes and a sample-by-sample check. */
async function promtool(vigilDirs: readonly string[], vigilBlocks: readonly BlockSize[]) {
  const end = (vigilBlocks.at(-1) as BlockSize).maxTime;
  const file = join(root, 'samples.om');
  const wl = new Workload(SERIES);
  const started = performance.now();
  const fd = openSync(file, 'w');
  for (let k = 0; wl.timestampMs(k) < end; k++) {
    wl.step();
    writeSync(fd, wl.openMetrics(wl.timestampMs(k)));
  }
  writeSync(fd, '# EOF\n');
  closeSync(fd);
  const openMetricsWriteMs = performance.now() - started;
  const openMetricsBytes = statSync(file).size;
  const out = join(root, 'promtool');
  mkdirSync(out);
  const promtoolMs = promtoolCreateBlocks(file, out, 600_000);
  rmSync(file);
  const dirs = readdirSync(out).map((d) => join(out, d));
  const blocks = blockSizes(dirs, await Promise.all(dirs.map((d) => readMeta(d))));
  const comparison = await compareBlocks(vigilDirs, dirs);
  return {
    blocks,
    openMetricsBytes,
    openMetricsWriteMs: Math.round(openMetricsWriteMs),
    promtoolMs: Math.round(promtoolMs),
    comparison,
  };
}

function vigilHeadMemory() {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', fileURLToPath(childScript), String(SERIES), String(HEAD_SAMPLES)],
    { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
  );
  if (r.status !== 0) throw new Error(`head memory child failed (${r.signal ?? r.status}): ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
  const per = (a: number, b: number) => Math.round((a - b) / m.series);
  const live = (x: { heapUsed: number; external: number }) => x.heapUsed + x.external;
  return {
    series: m.series as number,
    samplesPerSeries: m.samplesPerSeries as number,
    rssBytesPerSeries: per(m.after.rss, m.baseline.rss),
    liveBytesPerSeries: per(live(m.after), live(m.baseline)),
    heapUsedBytesPerSeries: per(m.after.heapUsed, m.baseline.heapUsed),
    externalBytesPerSeries: per(m.after.external, m.baseline.external),
    afterFirstScrape: {
      rssBytesPerSeries: per(m.afterFirst.rss, m.baseline.rss),
      liveBytesPerSeries: per(live(m.afterFirst), live(m.baseline)),
    },
    rssDeltaBytes: m.after.rss - m.baseline.rss,
    newSpaceGrowthBytes: m.after.newSpace - m.baseline.newSpace,
    note: 'fresh child process; baseline after Tsdb.open and building the workload; deltas after 4 forced GCs; live = heapUsed + external',
  };
}

async function prometheusHead() {
  const dir = join(root, 'prometheus');
  mkdirSync(dir);
  const r = await prometheusHeadMemory({
    workload: new Workload(SERIES),
    dir,
    scrapeIntervalMs: PROMETHEUS_SCRAPE_MS,
    samplesPerSeries: HEAD_SAMPLES,
    timeoutMs: quick ? 30_000 : 180_000,
  });
  const series = r.after.headSeries - r.baseline.headSeries;
  return {
    headSeries: r.after.headSeries,
    samplesPerSeries: round(r.samplesAppended / r.after.headSeries, 1),
    rssBytesPerSeries: Math.round((r.after.rss - r.baseline.rss) / series),
    liveBytesPerSeries: Math.round((r.after.heapAlloc - r.baseline.heapAlloc) / series),
    scrapeIntervalMs: PROMETHEUS_SCRAPE_MS,
    scrapes: r.scrapes,
    scrapeSeconds: round(r.scrapeSeconds, 1),
    rssDeltaBytes: r.after.rss - r.baseline.rss,
    note: 'VmRSS before the target was added and after; live = go_memstats_heap_alloc_bytes after GET /debug/pprof/heap?gc=1; per prometheus_tsdb_head_series (the target plus 5 scrape series)',
  };
}

type Figures = {
  workload: { series: number; hours: number };
  append: Awaited<ReturnType<typeof append>>;
  blocks: { vigil: ReturnType<typeof totals>; prometheus: ReturnType<typeof totals> | null } & Record<string, unknown>;
  select: Awaited<ReturnType<typeof select>>;
  headMemory: {
    vigil: ReturnType<typeof vigilHeadMemory>;
    prometheus: Awaited<ReturnType<typeof prometheusHead>> | null;
    rssRatioVigilToPrometheus: number | null;
    liveRatioVigilToPrometheus: number | null;
  };
};

function summary(f: Figures, sameSamples: Awaited<ReturnType<typeof promtool>>['comparison'] | null, blocks: number) {
  const n = (x: number) => x.toLocaleString('en-US');
  const { append: a, blocks: b, select: s, headMemory: h } = f;
  const lines = [
    `summary (${n(f.workload.series)} series, ${f.workload.hours} h${quick ? ', quick' : ''})`,
    `  append       ${n(a.samplesPerSec)} samples/s (goal 1,500,000; ${n(a.samplesPerCpuSec)} per CPU second, cpu/wall ${a.cpuPerWall}), first scrape ${a.firstScrapeMs} ms`,
    `  blocks       vigil ${b.vigil.bytesPerSample} B/sample in ${blocks} × 2 h blocks (${n(b.vigil.samples)} samples)`,
  ];
  if (b.prometheus && sameSamples) {
    const same = sameSamples.differences === 0 ? 'the same samples' : `${sameSamples.differences} DIFFERENCES`;
    lines.push(
      `               Prometheus ${b.prometheus.bytesPerSample} B/sample; ratio ${b.ratioVigilToPrometheus}; ${same}, ${sameSamples.identicalBlocks}/${blocks} blocks byte-identical`,
    );
  }
  lines.push(
    `  select       ${n(s.samplesPerSec)} samples/s over the whole range (goal 20,000,000; ${n(s.samplesPerCpuSec)} per CPU second); ${n(s.blockByBlockSamplesPerSec)} block by block`,
    `  head memory  vigil ${n(h.vigil.rssBytesPerSeries)} B/series RSS, ${n(h.vigil.liveBytesPerSeries)} live (${h.vigil.samplesPerSeries} samples/series)`,
  );
  if (h.prometheus) {
    lines.push(
      `               Prometheus ${n(h.prometheus.rssBytesPerSeries)} B/series RSS, ${n(h.prometheus.liveBytesPerSeries)} live (${h.prometheus.samplesPerSeries} samples/series)`,
      `               ratio vigil/Prometheus: RSS ${h.rssRatioVigilToPrometheus}, live ${h.liveRatioVigilToPrometheus}`,
    );
  }
  return lines.join('\n');
}

function headMemoryFigures(
  vigilHead: ReturnType<typeof vigilHeadMemory>,
  promHead: Awaited<ReturnType<typeof prometheusHead>> | null,
) {
  return {
    vigil: vigilHead,
    prometheus: promHead,
    rssRatioVigilToPrometheus: promHead ? round(vigilHead.rssBytesPerSeries / promHead.rssBytesPerSeries, 3) : null,
    liveRatioVigilToPrometheus: promHead ? round(vigilHead.liveBytesPerSeries / promHead.liveBytesPerSeries, 3) : null,
  };
}

async function headMemoryOnly(): Promise<void> {
  console.log('head memory…');
  const vigilHead = vigilHeadMemory();
  const promHead = withPrometheus ? await prometheusHead() : null;
  const h = headMemoryFigures(vigilHead, promHead);
  writeResults('tsdb-head-memory', {
    workload: { series: vigilHead.series, quick },
    headMemory: h,
    prometheus: withPrometheus ? prometheusVersion() : 'skipped',
  });
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    `summary (head memory only, ${n(vigilHead.series)} series${quick ? ', quick' : ''})`,
    `  head memory  vigil ${n(vigilHead.rssBytesPerSeries)} B/series RSS, ${n(vigilHead.liveBytesPerSeries)} live (${vigilHead.samplesPerSeries} samples/series)`,
  ];
  if (promHead) {
    lines.push(
      `               Prometheus ${n(promHead.rssBytesPerSeries)} B/series RSS, ${n(promHead.liveBytesPerSeries)} live (${promHead.samplesPerSeries} samples/series)`,
      `               ratio vigil/Prometheus: RSS ${h.rssRatioVigilToPrometheus}, live ${h.liveRatioVigilToPrometheus}`,
    );
  }
  console.log(`\n${lines.join('\n')}`);
}

async function fullRun(): Promise<void> {
  const wl = new Workload(SERIES);
  const dir = join(root, 'vigil');
  // Retention 24 h: the planner's block ranges are then 2 h only, so no block is merged (promtool writes 2 h blocks).
  const db = await Tsdb.open({ dir, logger, retentionMs: 24 * 3600_000 });
  console.log(`tsdb: ${wl.size} series, ${HOURS} h at ${scrapeIntervalMs / 1000} s (${ROUNDS} scrapes)…`);
  const appended = await append(db, wl);
  globalThis.gc?.();
  const compactStart = performance.now();
  await db.compact();
  const compactMs = Math.round(performance.now() - compactStart);
  const metas = db.blockMetas();
  const vigilDirs = metas.map((m) => join(dir, m.ulid));
  const vigilBlocks = blockSizes(vigilDirs, metas);
  console.log(`appended, compacted into ${metas.length} blocks; reading…`);
  const selected = await select(db, vigilBlocks);
  const prom = withPrometheus ? await promtool(vigilDirs, vigilBlocks) : null;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log('head memory…');
  const vigilHead = vigilHeadMemory();
  const promHead = withPrometheus ? await prometheusHead() : null;

  const vigilTotal = totals(vigilBlocks);
  const promTotal = prom ? totals(prom.blocks) : null;
  const figures = {
    workload: {
      series: wl.size,
      scrapeIntervalMs,
      hours: HOURS,
      scrapes: ROUNDS,
      mix: wl.mix(),
      quick,
    },
    append: appended,
    compactionMs: compactMs,
    blocks: {
      vigil: { ...vigilTotal, perBlock: vigilBlocks },
      prometheus: prom && promTotal ? { ...promTotal, perBlock: prom.blocks } : null,
      ratioVigilToPrometheus: promTotal ? round(vigilTotal.bytesPerSample / promTotal.bytesPerSample, 3) : null,
      sameSamples: prom ? prom.comparison : null,
      openMetricsBytes: prom?.openMetricsBytes ?? null,
      openMetricsWriteMs: prom?.openMetricsWriteMs ?? null,
      promtoolMs: prom?.promtoolMs ?? null,
    },
    select: selected,
    headMemory: headMemoryFigures(vigilHead, promHead),
    prometheus: withPrometheus ? prometheusVersion() : 'skipped',
  };
  writeResults('tsdb', figures);
  console.log(`\n${summary(figures, prom?.comparison ?? null, vigilBlocks.length)}`);
}

try {
  if (only === 'head-memory') await headMemoryOnly();
  else await fullRun();
} finally {
  rmSync(root, { recursive: true, force: true });
}
