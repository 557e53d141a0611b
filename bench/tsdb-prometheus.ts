// Prometheus 2.42 on the benchmark's workload: blocks written by `promtool tsdb create-blocks-from openmetrics`,
// and the head memory of a Prometheus server scraping the workload from a local HTTP target. Every child
// process is bounded by a timeout and killed by its pid at the end.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Workload } from './tsdb-workload.ts';

export const prometheusBin = '/usr/bin/prometheus';
export const promtoolBin = '/usr/bin/promtool';

export function prometheusVersion(): string {
  const r = spawnSync(prometheusBin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout || r.stderr).split('\n')[0]?.trim() ?? 'unknown';
}

/** Runs promtool on an OpenMetrics file; returns its wall time in ms. Throws on failure or after `timeoutMs`. */
export function promtoolCreateBlocks(omFile: string, outDir: string, timeoutMs: number): number {
  const start = performance.now();
  const r = spawnSync(promtoolBin, ['tsdb', 'create-blocks-from', 'openmetrics', '-q', omFile, outDir], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  if (r.status !== 0) throw new Error(`promtool failed (${r.signal ?? r.status}): ${r.stderr.slice(-2000)}`);
  return performance.now() - start;
}

export interface PrometheusHeadOptions {
  /** The workload the target exposes; each scrape moves it one step on. */
  workload: Workload;
  /** A fresh, empty directory for Prometheus' config and data. */
  dir: string;
  scrapeIntervalMs: number;
  /** Scraping stops once the head holds this many samples per series. */
  samplesPerSeries: number;
  /** Longest wait for those samples. */
  timeoutMs: number;
}

export interface MemorySnapshot {
  /** VmRSS from /proc/PID/status. */
  rss: number;
  /** go_memstats_heap_alloc_bytes right after a forced GC (GET /debug/pprof/heap?gc=1). */
  heapAlloc: number;
  headSeries: number;
}

export interface PrometheusHeadResult {
  baseline: MemorySnapshot;
  after: MemorySnapshot;
  samplesAppended: number;
  scrapes: number;
  scrapeSeconds: number;
}

/**
 * Starts Prometheus without targets, takes a baseline, adds the workload's target (config reload), waits
 * until the head holds `samplesPerSeries` samples per series, and measures again. Kills Prometheus at the end.
 */
export async function prometheusHeadMemory(o: PrometheusHeadOptions): Promise<PrometheusHeadResult> {
  let scrapes = 0;
  const target = createServer((_req, res) => {
    o.workload.step();
    scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end(o.workload.exposition());
  });
  const targetPort = await listen(target);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = join(o.dir, 'prometheus.yml');
  const writeConfig = (withTarget: boolean) => {
    const interval = `${o.scrapeIntervalMs}ms`;
    const jobs = withTarget
      ? `\n  - job_name: bench\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`
      : ' []\n';
    writeFileSync(
      config,
      `global:\n  scrape_interval: ${interval}\n  scrape_timeout: ${interval}\nscrape_configs:${jobs}`,
    );
  };
  writeConfig(false);
  let stderr = '';
  const prom: ChildProcess = spawn(
    prometheusBin,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(o.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  prom.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // Should the benchmark die on the way, Prometheus goes with it.
  const killOnExit = () => prom.kill('SIGKILL');
  process.once('exit', killOnExit);
  try {
    await waitFor(
      async () => (await fetchOk(`${base}/-/ready`)) !== null,
      30_000,
      () => `Prometheus not ready: ${stderr}`,
    );
    await sleep(2_000);
    const baseline = await snapshot(base, prom.pid as number);
    writeConfig(true);
    const reload = await fetch(`${base}/-/reload`, { method: 'POST' });
    if (!reload.ok) throw new Error(`config reload failed: ${reload.status} ${await reload.text()}`);
    const started = performance.now();
    let samplesAppended = 0;
    await waitFor(
      async () => {
        const m = await metrics(base);
        samplesAppended = m.samplesAppended;
        return m.headSeries >= o.workload.size && samplesAppended >= o.samplesPerSeries * m.headSeries;
      },
      o.timeoutMs,
      () => `Prometheus head did not reach ${o.samplesPerSeries} samples per series (${samplesAppended} samples)`,
    );
    const scrapeSeconds = (performance.now() - started) / 1000;
    const after = await snapshot(base, prom.pid as number);
    return { baseline, after, samplesAppended, scrapes, scrapeSeconds };
  } finally {
    await stop(prom);
    process.removeListener('exit', killOnExit);
    target.close();
  }
}

async function snapshot(base: string, pid: number): Promise<MemorySnapshot> {
  const gc = await fetch(`${base}/debug/pprof/heap?gc=1`);
  await gc.arrayBuffer();
  const m = await metrics(base);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return { rss: kb * 1024, heapAlloc: m.heapAlloc, headSeries: m.headSeries };
}

async function metrics(base: string): Promise<{ heapAlloc: number; headSeries: number; samplesAppended: number }> {
  const text = (await fetchOk(`${base}/metrics`)) ?? '';
  const sum = (name: string) => {
    let n = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) n += Number(m[1]);
    return n;
  };
  return {
    heapAlloc: sum('go_memstats_heap_alloc_bytes'),
    headSeries: sum('prometheus_tsdb_head_series'),
    samplesAppended: sum('prometheus_tsdb_head_samples_appended_total'),
  };
}

async function fetchOk(url: string): Promise<string | null> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return r.ok ? await r.text() : null;
  } catch {
    return null;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(why());
    await sleep(500);
  }
}

/** SIGTERM, then SIGKILL after 10 s. */
async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}
