// The scraper's cost at 1,000 targets × 500 series every 15 s into a real Tsdb (WAL on, default fsync policy,
// maintenance timer started), as a server runs it: CPU % of one core, RSS, samples ingested per second.
// - Targets: bench/scrape-targets.ts in a child process (its CPU is not counted, but reported), one HTTP server
//   per target on 127.0.0.1, node_exporter-like bodies (bench/scrape-exporter.ts) changing at every scrape,
//   gzip encoded (vigil asks for gzip, as Prometheus does).
// - Scraper: a ScrapeManager in this process with one job of static targets, scrape_interval 15 s and
//   scrape_timeout 10 s, real clock: each target's first scrape at its hash offset, then every 15 s.
// - Warm-up: one full interval plus 1 s (every target scraped once, its series created). Then the window, a
//   whole number of intervals, so every target is scraped the same number of times in it. Over the window:
//   process.cpuUsage (user + system) / wall time = CPU % of one core, event-loop utilisation, RSS sampled every
//   second, VmHWM at the end. After it, the window's `up`, `scrape_duration_seconds` and
//   `scrape_samples_post_metric_relabeling` are read back from the Tsdb (timestamps in the window).
// Run with `npm run bench -- scrape [--quick] [--targets N] [--series N] [--intervals N] [--no-gzip]`.
// --quick: 100 targets, 3 intervals (about 65 s).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../src/config/index.ts';
import { createLogger } from '../src/log/index.ts';
import { Matcher } from '../src/model/index.ts';
import { ScrapeManager } from '../src/scrape/index.ts';
import { Tsdb } from '../src/tsdb/index.ts';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const gzip = !args.includes('--no-gzip');
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TARGETS = option('--targets', quick ? 100 : 1_000);
const SERIES = option('--series', 500);
const INTERVALS = option('--intervals', quick ? 3 : 10);
const INTERVAL_MS = 15_000;
const WINDOW_MS = INTERVALS * INTERVAL_MS;
/** The synthetic series every scrape appends besides the body's: up, scrape_duration_seconds, … */
const REPORT_SERIES = 5;

const logger = createLogger({ level: 'warn' });
const root = mkdtempSync(join(tmpdir(), 'vigil-bench-scrape-'));
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => round(bytes / 2 ** 20);
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** VmHWM and VmRSS of this process, bytes. */
function procStatus(): { hwm: number; rss: number } {
  const text = readFileSync('/proc/self/status', 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  return { hwm: kib('VmHWM'), rss: kib('VmRSS') };
}

interface TargetStats {
  requests: number;
  plainBytes: number;
  sentBytes: number;
  cpuMicros: number;
  rss: number;
}

/** The targets' child process: its ports, and its counters on demand. */
class Targets {
  private readonly lines: AsyncIterator<string>;
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: number[],
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static async start(): Promise<Targets> {
    const script = fileURLToPath(new URL('./scrape-targets.ts', import.meta.url));
    const argv = ['--import', 'tsx', script, String(TARGETS), String(SERIES), ...(gzip ? [] : ['--no-gzip'])];
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
    process.once('exit', () => child.kill('SIGKILL'));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]();
    const first = await Promise.race([lines.next(), sleep(60_000).then(() => null)]);
    if (first === null || first.done) throw new Error('the targets process did not start within 60 s');
    return new Targets(child, JSON.parse(first.value).ports, lines);
  }

  async stats(): Promise<TargetStats> {
    this.child.stdin?.write('stats\n');
    const r = await this.lines.next();
    if (r.done) throw new Error('the targets process exited');
    return JSON.parse(r.value);
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

function config(ports: readonly number[]): string {
  const targets = ports.map((p) => `'127.0.0.1:${p}'`).join(', ');
  return [
    'global:',
    `  scrape_interval: ${INTERVAL_MS / 1000}s`,
    '  scrape_timeout: 10s',
    'scrape_configs:',
    '  - job_name: node',
    '    static_configs:',
    `      - targets: [${targets}]`,
    '        labels: { env: bench }',
    '',
  ].join('\n');
}

/** Every sample of the series named `name` with a timestamp in [mint, maxt]. */
function samplesOf(db: Tsdb, name: string, mint: number, maxt: number): number[] {
  const q = db.querier(mint, maxt);
  try {
    const set = q.select(false, undefined, [Matcher.create('=', '__name__', name)]);
    const out: number[] = [];
    while (set.next()) {
      const c = set.at().cursor();
      while (c.next()) out.push(c.atV());
    }
    return out;
  } finally {
    q.close();
  }
}

async function run() {
  const db = await Tsdb.open({ dir: join(root, 'tsdb'), logger });
  db.start();
  const targets = await Targets.start();
  const manager = new ScrapeManager({ appendable: db, logger, staleOnClose: false });
  try {
    const applied = await manager.applyConfig(parseConfig(config(targets.ports)).scrape_configs);
    if (!applied.ok) throw new AggregateError(applied.errors, 'config rejected');
    const baseline = process.memoryUsage();
    console.log(`scrape: ${TARGETS} targets × ${SERIES} series every ${INTERVAL_MS / 1000} s; warm-up…`);
    await manager.start();
    const started = Date.now();
    await sleep(INTERVAL_MS + 1_000);
    const warmScrapes = manager.stats.scrapes;
    const warm = process.memoryUsage();
    const rssSamples: number[] = [];
    const target0 = await targets.stats();
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const stats0 = { ...manager.stats };
    console.log(`warm-up done (${warmScrapes} scrapes in ${t0 - started} ms); measuring ${WINDOW_MS / 1000} s…`);
    while (Date.now() - t0 < WINDOW_MS) {
      await sleep(Math.min(1_000, WINDOW_MS - (Date.now() - t0)));
      rssSamples.push(process.memoryUsage().rss);
    }
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const t1 = Date.now();
    const target1 = await targets.stats();
    const end = process.memoryUsage();
    const status = procStatus();
    const scrapes = manager.stats.scrapes - stats0.scrapes;
    const failures = manager.stats.scrapeFailures - stats0.scrapeFailures;

    const up = samplesOf(db, 'up', t0, t1 - 1);
    const durations = samplesOf(db, 'scrape_duration_seconds', t0, t1 - 1).sort((a, b) => a - b);
    const bodySamples = samplesOf(db, 'scrape_samples_post_metric_relabeling', t0, t1 - 1).reduce((a, b) => a + b, 0);
    const wallMs = t1 - t0;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const samples = bodySamples + REPORT_SERIES * up.length;
    const requests = target1.requests - target0.requests;
    return {
      workload: {
        targets: TARGETS,
        seriesPerTarget: SERIES,
        scrapeIntervalMs: INTERVAL_MS,
        scrapeTimeoutMs: 10_000,
        gzip,
        warmupMs: t0 - started,
        windowMs: wallMs,
        intervalsInWindow: INTERVALS,
        bodyBytes: Math.round((target1.plainBytes - target0.plainBytes) / requests),
        sentBytes: Math.round((target1.sentBytes - target0.sentBytes) / requests),
        quick,
      },
      cpu: {
        percentOfOneCore: round((100 * cpuMs) / wallMs, 2),
        userMs: Math.round(cpu.user / 1000),
        systemMs: Math.round(cpu.system / 1000),
        cpuMsPerScrape: round(cpuMs / scrapes, 3),
        cpuMicrosPerSample: round((1000 * cpuMs) / samples, 3),
        eventLoopUtilization: round(elu.utilization, 3),
        targetsProcessPercentOfOneCore: round((target1.cpuMicros - target0.cpuMicros) / 10 / wallMs, 2),
      },
      memory: {
        rssBeforeScrapingMiB: mib(baseline.rss),
        rssAfterWarmupMiB: mib(warm.rss),
        rssEndMiB: mib(end.rss),
        rssWindowMinMiB: mib(Math.min(...rssSamples)),
        rssWindowMaxMiB: mib(Math.max(...rssSamples)),
        vmHwmMiB: mib(status.hwm),
        heapUsedAfterWarmupMiB: mib(warm.heapUsed),
        heapUsedEndMiB: mib(end.heapUsed),
        externalEndMiB: mib(end.external),
        note: 'RSS before scraping is after Tsdb.open, the targets child and the config; VmHWM is the peak over the whole run, warm-up included',
      },
      ingest: {
        samplesPerSec: Math.round(samples / (wallMs / 1000)),
        expectedSamplesPerSec: Math.round((TARGETS * (SERIES + REPORT_SERIES)) / (INTERVAL_MS / 1000)),
        samples,
      },
      scrapes: {
        total: scrapes,
        expected: TARGETS * INTERVALS,
        failed: failures,
        upSamples: up.length,
        downSamples: up.filter((v) => v !== 1).length,
        targetRequests: requests,
        outOfOrder: manager.stats.samplesOutOfOrder,
        duplicate: manager.stats.samplesDuplicate,
        durationMsP50: round(quantile(durations, 0.5) * 1000, 2),
        durationMsP99: round(quantile(durations, 0.99) * 1000, 2),
        durationMsMax: round((durations.at(-1) ?? Number.NaN) * 1000, 2),
      },
    };
  } finally {
    await manager.close();
    targets.stop();
    await db.close();
  }
}

type Figures = Awaited<ReturnType<typeof run>>;

function summary(f: Figures): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const { workload: w, cpu: c, memory: m, ingest: i, scrapes: s } = f;
  const ok = s.failed === 0 && s.downSamples === 0 && s.upSamples === s.expected ? 'all up' : 'NOT ALL UP';
  return [
    `summary (${n(w.targets)} targets × ${w.seriesPerTarget} series every ${w.scrapeIntervalMs / 1000} s, ${w.windowMs / 1000} s window${quick ? ', quick' : ''})`,
    `  cpu      ${c.percentOfOneCore} % of one core (user ${n(c.userMs)} ms, system ${n(c.systemMs)} ms); ${c.cpuMsPerScrape} ms per scrape, ${c.cpuMicrosPerSample} µs per sample; event loop ${Math.round(c.eventLoopUtilization * 100)} % busy`,
    `  memory   RSS ${m.rssBeforeScrapingMiB} MiB before scraping, ${m.rssAfterWarmupMiB} after warm-up, ${m.rssEndMiB} at the end (window ${m.rssWindowMinMiB}–${m.rssWindowMaxMiB}); VmHWM ${m.vmHwmMiB} MiB`,
    `  ingest   ${n(i.samplesPerSec)} samples/s (expected ${n(i.expectedSamplesPerSec)})`,
    `  scrapes  ${n(s.total)} of ${n(s.expected)} expected, ${s.failed} failed, ${ok}; duration p50 ${s.durationMsP50} ms, p99 ${s.durationMsP99} ms, max ${s.durationMsMax} ms`,
    `  targets  child process ${c.targetsProcessPercentOfOneCore} % of one core; body ${n(w.bodyBytes)} B (${n(w.sentBytes)} B sent${w.gzip ? ', gzip' : ''})`,
  ].join('\n');
}

try {
  const figures = await run();
  writeResults('scrape', figures);
  console.log(`\n${summary(figures)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
