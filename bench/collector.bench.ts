// The collector's own cost: 100 busy cgroups (each a shell doing a little work every 100 ms), `vigil collector`
// (the built bin/vigil.js: HTTP server, store, collector; housekeeping every second) scraped every 15 s (as
// `vigil start` stores its samples; `--collector-scrape-seconds 1` for every second), beside
// Debian's prometheus-node-exporter scraped every second on the same machine. Both are processes of their own; CPU
// is utime+stime from /proc/PID/stat over the measured window, RSS is VmRSS at its end (and VmHWM). Run with
// `npm run bench -- collector [--seconds N] [--collector-scrape-seconds S]` after `npm run build`; needs root (it makes cgroups).
// COLLECTOR_NODE_OPTIONS passes V8 flags to the collector process for experiments (e.g. --max-semi-space-size=1:
// RSS 90 MB instead of 118 MB, CPU 3.6% instead of 2.7%, measured here).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAndWait, realCgroupsUnavailable, sleep, TestCgroup } from '../src/collector/testing.ts';
import { basic, request } from '../test/support/http.ts';
import { freePort } from '../test/support/prometheus.ts';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const secondsArg = args.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 60;
const scrapeArg = args.indexOf('--collector-scrape-seconds');
/** How often the collector's /metrics is scraped: 15 s like the store interval of `vigil start` by default. */
const COLLECTOR_SCRAPE_S = scrapeArg >= 0 ? Number(args[scrapeArg + 1]) : 15;
const CGROUPS = 100;
const WARMUP_S = 10;

const skip = realCgroupsUnavailable();
if (skip !== null) {
  console.error(`collector benchmark: ${skip}`);
  process.exit(2);
}

const ticks = 100; // USER_HZ
const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
};
const status = (pid: number, key: string): number => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m === null ? 0 : Number(m[1]) * 1024;
};

const groups: TestCgroup[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-collector-'));
let collector: ChildProcess | undefined;
let exporter: ChildProcess | undefined;
try {
  console.log(`collector: ${CGROUPS} busy cgroups…`);
  for (let i = 0; i < CGROUPS; i++) {
    const cg = TestCgroup.create();
    groups.push(cg);
    cg.spawn('sh', ['-c', 'while :; do i=0; while [ $i -lt 100 ]; do i=$((i+1)); done; sleep 0.1; done']);
  }
  const bin = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
  if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) {
    throw new Error('build first: npm run build (the benchmark measures the built vigil collector)');
  }
  const collectorPort = await freePort();
  const password = 'collector-bench-password';
  collector = spawn(
    process.execPath,
    [
      bin,
      'collector',
      '--listen',
      `127.0.0.1:${collectorPort}`,
      '--data-dir',
      join(dataDir, 'data'),
      '--log-level',
      'error',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        NODE_OPTIONS: process.env.COLLECTOR_NODE_OPTIONS ?? '',
        VIGIL_ADMIN_PASSWORD: password,
        DOCKER_HOST: 'unix:///nonexistent',
      },
    },
  );
  const child = collector;
  const headers = { Authorization: basic('admin', password) };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`vigil collector exited (${child.exitCode})`);
    const ok = await request(`http://127.0.0.1:${collectorPort}/-/healthy`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error('vigil collector did not answer within 20 s');
    await sleep(100);
  }
  const port = await freePort();
  exporter = spawn('/usr/bin/prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  });
  await sleep(1000);
  const scrapeCollector = async () => {
    const r = await request(`http://127.0.0.1:${collectorPort}/metrics`, { headers });
    if (r.status !== 200) throw new Error(`vigil collector /metrics: ${r.status}`);
    const containers = new Set(r.text.match(/^container_last_seen\{[^}]*\}/gm) ?? []).size;
    return { bytes: r.text.length, containers };
  };
  const scrapeExporter = async () => (await request(`http://127.0.0.1:${port}/metrics`)).text.length;

  let ticks = 0;
  let lastCollector = { bytes: 0, containers: 0 };
  const tick = async () => {
    const scrapeC = ticks++ % COLLECTOR_SCRAPE_S === 0;
    const [c, e] = await Promise.all([scrapeC ? scrapeCollector() : Promise.resolve(lastCollector), scrapeExporter()]);
    lastCollector = c;
    return { c, e };
  };
  for (let s = 0; s < WARMUP_S; s++) {
    await tick();
    await sleep(1000);
  }
  const cpu0 = { c: cpuSeconds(child.pid as number), e: cpuSeconds(exporter.pid as number) };
  const started = performance.now();
  let last = { c: { bytes: 0, containers: 0 }, e: 0 };
  while (performance.now() - started < SECONDS * 1000) {
    last = await tick();
    await sleep(1000);
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu1 = { c: cpuSeconds(child.pid as number), e: cpuSeconds(exporter.pid as number) };
  const figures = {
    cgroups: CGROUPS,
    containersTracked: last.c.containers,
    seconds: Math.round(elapsed),
    collector: {
      cpuPercentOfOneCore: Number((((cpu1.c - cpu0.c) / elapsed) * 100).toFixed(2)),
      rssBytes: status(child.pid as number, 'VmRSS'),
      peakRssBytes: status(child.pid as number, 'VmHWM'),
      metricsBytes: last.c.bytes,
      scrapeIntervalSeconds: COLLECTOR_SCRAPE_S,
      note: 'the built `vigil collector` (HTTP server, store, collector): every cgroup read each second into the live rings, /metrics scraped with basic auth every scrapeIntervalSeconds',
    },
    nodeExporter: {
      cpuPercentOfOneCore: Number((((cpu1.e - cpu0.e) / elapsed) * 100).toFixed(2)),
      rssBytes: status(exporter.pid as number, 'VmRSS'),
      metricsBytes: last.e,
      note: 'Debian prometheus-node-exporter, default collectors, scraped each second',
    },
  };
  console.log(JSON.stringify(figures, null, 2));
  writeResults('collector', figures);
} finally {
  collector?.kill('SIGTERM');
  exporter?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  for (const g of groups) for (const c of g.children) await killAndWait(c);
  for (const g of groups) await g.destroy();
}
