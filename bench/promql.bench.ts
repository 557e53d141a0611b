// PromQL through the HTTP query API, vigil against Prometheus 2.42 on the same blocks: the tsdb benchmark's
// workload (bench/tsdb-workload.ts, ~10k series of an exporter mix every 15 s, 8 h by default) is written as
// OpenMetrics and turned into 2 h blocks by `promtool tsdb create-blocks-from openmetrics`; Prometheus opens that
// directory and vigil (an App in a child process, bench/promql-vigil.ts) gets a copy in `<dataDir>/tsdb`.
// Neither compacts them (Prometheus: --storage.tsdb.max-block-duration=2h; vigil: retention 24 h, whose block
// ranges are 2 h only).
//
// Twelve dashboard queries, each instant (at the end of the data) and as a 6 h range at 30 s steps. Per query:
// WARMUP (3) warm-up runs each, then RUNS runs alternating vigil and Prometheus; the median latency is the wall time of the
// HTTP request from this process (vigil's includes its bearer-token check; Prometheus has no auth). Then one run
// each with `stats=all`, after a forced GC in the server, for the engines' peak samples and the peak RSS over the
// query (VmHWM reset through /proc/PID/clear_refs before it, minus VmRSS before it). Query times sit half a
// second off the samples' whole seconds, so 2.42's closed ranges and upstream's left-open ones select the same
// samples, and each pair of answers is compared (values within 1e-9 relative).
//
// Run with `npm run bench -- promql [--quick] [--series N] [--hours H] [--runs R]`; Prometheus and promtool
// (Debian's 2.42) are required: without them the benchmark says so and stops. The OpenMetrics file is large
// (about 2.6 GB at the defaults) and deleted once promtool has read it.
import { spawn } from 'node:child_process';
import {
  closeSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from '../test/support/http.ts';
import {
  type PrometheusServer,
  prometheusMissing,
  promtoolCreateBlocks,
  startPrometheus,
} from '../test/support/prometheus.ts';
import { writeResults } from './results.ts';
import { prometheusVersion } from './tsdb-prometheus.ts';
import { scrapeIntervalMs, Workload } from './tsdb-workload.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SERIES = option('--series', quick ? 2_000 : 10_000);
const HOURS = option('--hours', 8);
const RUNS = Math.max(5, option('--runs', quick ? 5 : 7));
const RANGE_HOURS = 6;
const STEP_S = 30;
const TOLERANCE = 1e-9;
/** Runs of each query on each server before the measured ones: vigil's JIT compiles a query's code paths over the first few. */
const WARMUP = 3;

/** The dashboard queries: what a Grafana board of the workload's services would ask. */
const dashboard: ReadonlyArray<{ name: string; expr: string }> = [
  { name: 'rate by job', expr: 'sum by (job) (rate(http_requests_total[5m]))' },
  {
    name: 'p99 latency',
    expr: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
  },
  { name: 'topk cpu', expr: 'topk(5, sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])))' },
  { name: 'sum by labels', expr: 'sum by (handler, code) (rate(http_requests_total[5m]))' },
  { name: 'avg by', expr: 'avg by (mode) (rate(node_cpu_seconds_total[5m]))' },
  { name: 'count by', expr: 'count by (handler) (http_request_duration_seconds_bucket)' },
  { name: 'subquery', expr: 'max_over_time(rate(http_requests_total[5m])[1h:1m])' },
  {
    name: 'ratio on()',
    expr: 'sum by (instance) (rate(http_requests_total{code="500"}[5m])) / on(instance) sum by (instance) (rate(http_requests_total[5m]))',
  },
  { name: 'irate', expr: 'sum by (instance) (irate(node_network_receive_bytes_total[5m]))' },
  { name: 'increase', expr: 'sum by (handler) (increase(http_requests_total[1h]))' },
  { name: 'filter', expr: 'rate(http_requests_total[5m]) > 2' },
  { name: 'quantile', expr: 'quantile by (handler) (0.9, rate(http_requests_total[5m]))' },
];

const vigilScript = new URL('./promql-vigil.ts', import.meta.url);
const root = mkdtempSync(join(tmpdir(), 'vigil-bench-promql-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** The workload as OpenMetrics, then promtool's blocks; returns the blocks' directory and the last sample's time. */
async function writeBlocks() {
  const wl = new Workload(SERIES);
  const rounds = Math.round((HOURS * 3600_000) / scrapeIntervalMs);
  const file = join(root, 'workload.om');
  const started = performance.now();
  const fd = openSync(file, 'w');
  for (let k = 0; k < rounds; k++) {
    wl.step();
    writeSync(fd, wl.openMetrics(wl.timestampMs(k)));
  }
  writeSync(fd, '# EOF\n');
  closeSync(fd);
  const openMetricsWriteMs = performance.now() - started;
  const openMetricsBytes = statSync(file).size;
  const dir = join(root, 'prometheus');
  mkdirSync(dir);
  const promtoolMs = await promtoolCreateBlocks(file, dir, 900_000);
  rmSync(file);
  const blocks = readdirSync(dir).filter((f) => /^[0-9A-Z]{26}$/.test(f));
  return {
    dir,
    blocks,
    series: wl.size,
    samples: wl.size * rounds,
    lastSampleMs: wl.timestampMs(rounds - 1),
    openMetricsBytes,
    openMetricsWriteMs: Math.round(openMetricsWriteMs),
    promtoolMs: Math.round(promtoolMs),
  };
}

/** vigil in a child process (bench/promql-vigil.ts) over a copy of the blocks. */
async function startVigil(blocksDir: string, blocks: readonly string[]) {
  const dataDir = join(root, 'vigil');
  for (const b of blocks) cpSync(join(blocksDir, b), join(dataDir, 'tsdb', b), { recursive: true });
  const configFile = join(root, 'vigil.yml');
  // Retention 24 h: block ranges of 2 h only, so the blocks stay as they are; no self-scrape.
  writeFileSync(
    configFile,
    'storage:\n  tsdb:\n    retention_time: 24h\nscrape_configs:\n  - job_name: vigil\n    static_configs: []\n',
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', fileURLToPath(vigilScript), dataDir, configFile],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const ready = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('vigil did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`vigil exited (${code}) before it was ready`)));
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve(m as { url: string; token: string });
    });
  });
  return {
    url: ready.url,
    headers: { Authorization: `Bearer ${ready.token}` },
    pid: child.pid as number,
    gc: () =>
      new Promise<void>((resolve) => {
        child.once('message', () => resolve());
        child.send('gc');
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.send('stop');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
    },
  };
}

interface Target {
  name: 'vigil' | 'prometheus';
  url: string;
  headers: Record<string, string>;
  pid: number;
  /** Forces a full garbage collection in the server. */
  gc(): Promise<void>;
}

interface QueryParams {
  query: string;
  time?: string;
  start?: string;
  end?: string;
  step?: string;
}

interface ApiBody {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
    stats?: { samples?: { peakSamples?: number; totalQueryableSamples?: number } };
  };
}

async function ask(target: Target, params: QueryParams, stats = false): Promise<{ ms: number; body: ApiBody }> {
  const path = params.time === undefined ? '/api/v1/query_range' : '/api/v1/query';
  const q = new URLSearchParams({ ...params, ...(stats ? { stats: 'all' } : {}) } as Record<string, string>);
  const started = performance.now();
  const r = await request(`${target.url}${path}?${q}`, { headers: target.headers });
  const ms = performance.now() - started;
  const body = r.json<ApiBody>();
  if (body.status !== 'success') throw new Error(`${target.name}: ${params.query}: ${r.status} ${body.error}`);
  return { ms, body };
}

function kib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? Number.NaN) * 1024;
}

/** Peak RSS over one query above the RSS before it (after a forced GC), and the engine's stats. */
async function memoryRun(target: Target, params: QueryParams) {
  await target.gc();
  writeFileSync(`/proc/${target.pid}/clear_refs`, '5');
  const before = kib(target.pid, 'VmRSS');
  const { body } = await ask(target, params, true);
  const peakRss = kib(target.pid, 'VmHWM');
  const samples = body.data?.stats?.samples ?? {};
  return {
    peakSamples: samples.peakSamples ?? null,
    totalQueryableSamples: samples.totalQueryableSamples ?? null,
    rssDeltaBytes: Math.max(0, peakRss - before),
    body,
  };
}

const seriesKey = (m: Record<string, string>) => JSON.stringify(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));

/** Whether two answers hold the same series and points, values equal or within TOLERANCE relative. */
function sameAnswer(a: ApiBody, b: ApiBody): boolean {
  const x = a.data?.result ?? [];
  const y = new Map((b.data?.result ?? []).map((s) => [seriesKey(s.metric), s]));
  if (a.data?.resultType !== b.data?.resultType || x.length !== y.size) return false;
  const close = (p: [number, string] | undefined, q: [number, string] | undefined) => {
    if (p === undefined || q === undefined || p[0] !== q[0]) return false;
    if (p[1] === q[1]) return true;
    const u = Number(p[1]);
    const v = Number(q[1]);
    return Math.abs(u - v) <= TOLERANCE * Math.max(Math.abs(u), Math.abs(v));
  };
  return x.every((s) => {
    const o = y.get(seriesKey(s.metric));
    if (o === undefined) return false;
    if (s.value !== undefined) return close(s.value, o.value);
    const p = s.values ?? [];
    const q = o.values ?? [];
    return p.length === q.length && p.every((point, i) => close(point, q[i]));
  });
}

async function measure(vigil: Target, prometheus: Target, name: string, expr: string, params: QueryParams) {
  for (let w = 0; w < WARMUP; w++) for (const t of [vigil, prometheus]) await ask(t, params);
  const times = { vigil: [] as number[], prometheus: [] as number[] };
  for (let r = 0; r < RUNS; r++) {
    times.vigil.push((await ask(vigil, params)).ms);
    times.prometheus.push((await ask(prometheus, params)).ms);
  }
  const v = await memoryRun(vigil, params);
  const p = await memoryRun(prometheus, params);
  const vigilMs = median(times.vigil);
  const prometheusMs = median(times.prometheus);
  const result = v.body.data?.result ?? [];
  return {
    name,
    expr,
    kind: params.time === undefined ? 'range' : 'instant',
    vigilMs: round(vigilMs, 2),
    prometheusMs: round(prometheusMs, 2),
    ratio: round(vigilMs / prometheusMs, 2),
    vigilPeakSamples: v.peakSamples,
    prometheusPeakSamples: p.peakSamples,
    vigilQueryableSamples: v.totalQueryableSamples,
    prometheusQueryableSamples: p.totalQueryableSamples,
    vigilRssDeltaBytes: v.rssDeltaBytes,
    prometheusRssDeltaBytes: p.rssDeltaBytes,
    resultSeries: result.length,
    points: result.reduce((n, s) => n + (s.values?.length ?? 1), 0),
    sameAnswer: sameAnswer(v.body, p.body),
    vigilRunsMs: times.vigil.map((x) => round(x, 2)),
    prometheusRunsMs: times.prometheus.map((x) => round(x, 2)),
  };
}

type Row = Awaited<ReturnType<typeof measure>>;

function table(rows: readonly Row[]): string {
  const mb = (b: number) => (b / 1048576).toFixed(1);
  const head = ['query', 'kind', 'vigil ms', 'prom ms', 'ratio', 'peak samples v/p', 'RSS Δ MiB v/p', 'same'];
  const body = rows.map((r) => [
    r.name,
    r.kind,
    r.vigilMs.toFixed(1),
    r.prometheusMs.toFixed(1),
    r.ratio.toFixed(2),
    `${r.vigilPeakSamples ?? '-'} / ${r.prometheusPeakSamples ?? '-'}`,
    `${mb(r.vigilRssDeltaBytes)} / ${mb(r.prometheusRssDeltaBytes)}`,
    r.sameAnswer ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

if (prometheusMissing !== false) {
  console.error(`promql benchmark: ${prometheusMissing}`);
  rmSync(root, { recursive: true, force: true });
  process.exit(2);
}

let prometheus: PrometheusServer | undefined;
let vigil: Awaited<ReturnType<typeof startVigil>> | undefined;
try {
  console.log(`promql: writing ${SERIES} series × ${HOURS} h as OpenMetrics, blocks by promtool…`);
  const data = await writeBlocks();
  console.log(`${data.blocks.length} blocks in ${data.promtoolMs} ms; starting vigil and Prometheus…`);
  vigil = await startVigil(data.dir, data.blocks);
  const prom = await startPrometheus({ dataDir: data.dir, args: ['--storage.tsdb.max-block-duration=2h'] });
  prometheus = prom;
  const targets = {
    vigil: { name: 'vigil', url: vigil.url, headers: vigil.headers, pid: vigil.pid, gc: vigil.gc } satisfies Target,
    prometheus: {
      name: 'prometheus',
      url: prom.url,
      headers: {},
      pid: prom.pid,
      gc: async () => {
        await request(`${prom.url}/debug/pprof/heap?gc=1`);
      },
    } satisfies Target,
  };
  // Half a second off the samples' whole seconds (see the header).
  const endS = Math.floor(data.lastSampleMs / 1000) + 0.5;
  const startS = endS - RANGE_HOURS * 3600;
  const rows: Row[] = [];
  for (const { name, expr } of dashboard) {
    for (const params of [
      { query: expr, time: String(endS) },
      { query: expr, start: String(startS), end: String(endS), step: String(STEP_S) },
    ] satisfies QueryParams[]) {
      const row = await measure(targets.vigil, targets.prometheus, name, expr, params);
      console.log(`  ${row.kind.padEnd(7)} ${name}: vigil ${row.vigilMs} ms, prometheus ${row.prometheusMs} ms`);
      rows.push(row);
    }
  }
  const geomean = (kind: string) => {
    const rs = rows.filter((r) => r.kind === kind);
    return round(Math.exp(rs.reduce((s, r) => s + Math.log(r.ratio), 0) / rs.length), 2);
  };
  console.log(`\n${table(rows)}\n`);
  writeResults('promql', {
    workload: {
      series: data.series,
      hours: HOURS,
      scrapeIntervalMs,
      samples: data.samples,
      blocks: data.blocks.length,
      quick,
      openMetricsBytes: data.openMetricsBytes,
      openMetricsWriteMs: data.openMetricsWriteMs,
      promtoolMs: data.promtoolMs,
    },
    prometheus: prometheusVersion(),
    queries: {
      instantAt: endS,
      range: { start: startS, end: endS, stepS: STEP_S, hours: RANGE_HOURS },
      runs: RUNS,
      latency: `median wall time of the HTTP request from the benchmark process, after ${WARMUP} warm-up runs`,
      vigilAuth: 'bearer token (checked on every request, included in the figures); Prometheus: none',
      memory:
        'one run with stats=all after a forced GC in the server (vigil: gc() over IPC; Prometheus: /debug/pprof/heap?gc=1); RSS Δ is VmHWM over the query (reset through /proc/PID/clear_refs) minus VmRSS before it. Both servers are processes of their own; the Go runtime keeps freed heap, so Prometheus often shows little once warm',
      peakSamples:
        "each engine's own count (stats.samples.peakSamples): Prometheus 2.42 counts the samples its step-by-step evaluation holds, vigil what its evaluator holds; they are not the same accounting",
    },
    geomeanRatio: { instant: geomean('instant'), range: geomean('range') },
    allSameAnswers: rows.every((r) => r.sameAnswer),
    results: rows,
  });
} finally {
  await prometheus?.stop();
  await vigil?.stop();
  rmSync(root, { recursive: true, force: true });
}
