// Alerting under load: 10,000 alerts in 500 groups, from a rule firing to the webhook. The built vigil
// (`vigil start`, its own process) scrapes a local target of 10,000 gauges every second and evaluates an
// alerting rule over them every second; the alerts are grouped by `group` (500 groups of 20) and sent to a
// local webhook sink. When the gauges flip to 1 the rule fires; for each notification the latency beyond
// group_wait is its arrival minus the alerts' startsAt (the evaluation that fired them) minus group_wait —
// so it includes the rule evaluation, the templates, routing, the outbox's durable write and the HTTP post.
// Then 30 s of steady state with the 10,000 alerts active: CPU (utime+stime from /proc) and RSS.
// Last, the alerting pipeline alone beside Debian's Alertmanager 0.25 (bench/alerting-api.ts).
// `npm run build && npm run bench -- alerting [--groups N] [--per-group M]`
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/prometheus.ts';
import { apiComparison, cpuSeconds, quantile, spawnVigilStart } from './alerting-api.ts';
import { writeResults } from './results.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const GROUPS = arg('--groups', 500);
const PER_GROUP = arg('--per-group', 20);
const GROUP_WAIT_MS = 2000;
const STEADY_S = 30;

const statusBytes = (pid: number, key: string): number => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m === null ? 0 : Number(m[1]) * 1024;
};
/** vigil's own view of its memory at the end (prom-client's Node.js metrics), in MB. */
async function heapFigures(port: number): Promise<Record<string, number>> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { Authorization: `Basic ${Buffer.from('admin:alerting-bench-password').toString('base64')}` },
  }).then((r) => r.text());
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mb = (v: number) => Math.round(v / 2 ** 20);
  return {
    heapUsedMB: mb(value('nodejs_heap_size_used_bytes')),
    heapTotalMB: mb(value('nodejs_heap_size_total_bytes')),
    externalMB: mb(value('nodejs_external_memory_bytes')),
    headSeries: value('vigil_tsdb_head_series'),
  };
}

if (!existsSync(fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)))) {
  console.error('build first: npm run build (the benchmark measures the built vigil)');
  process.exit(2);
}

let firing = false;
const lines = (v: number) => {
  const out = ['# TYPE bench_alert gauge'];
  for (let g = 0; g < GROUPS; g++) {
    for (let i = 0; i < PER_GROUP; i++) out.push(`bench_alert{group="g${g}",instance="i${i}"} ${v}`);
  }
  return `${out.join('\n')}\n`;
};
const bodies = { 0: lines(0), 1: lines(1) };
const target = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
  res.end(firing ? bodies[1] : bodies[0]);
});
interface Note {
  arrival: number;
  startsAt: number;
  alerts: number;
}
const notes: Note[] = [];
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const arrival = Date.now();
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      alerts: { startsAt: string; status: string }[];
    };
    const starts = body.alerts.map((a) => Date.parse(a.startsAt));
    notes.push({ arrival, startsAt: Math.max(...starts), alerts: body.alerts.length });
    res.end();
  });
});
await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
const targetPort = (target.address() as AddressInfo).port;
const sinkPort = (sink.address() as AddressInfo).port;

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerting-'));
writeFileSync(
  join(dir, 'rules.yml'),
  `groups:
  - name: bench
    rules:
      - alert: BenchAlert
        expr: bench_alert > 0
        labels: {severity: warning}
        annotations:
          summary: '{{ $labels.instance }} of {{ $labels.group }} is at {{ $value | humanize }}'
`,
);
writeFileSync(
  join(dir, 'vigil.yml'),
  `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: bench
    static_configs: [{targets: ['127.0.0.1:${targetPort}']}]
rule_files: [rules.yml]
route:
  receiver: sink
  group_by: [group]
  group_wait: ${GROUP_WAIT_MS}ms
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: sink
    webhook_configs: [{url: 'http://127.0.0.1:${sinkPort}/hook'}]
collector:
  enabled: false
`,
);

let vigil: ChildProcess | undefined;
try {
  const port = await freePort();
  vigil = spawnVigilStart(dir, port, 'alerting-bench-password');
  const pid = vigil.pid as number;
  for (let i = 0; ; i++) {
    if (vigil.exitCode !== null) throw new Error(`vigil exited (${vigil.exitCode})`);
    const ok = await fetch(`http://127.0.0.1:${port}/-/ready`, {
      headers: { Authorization: `Basic ${Buffer.from('admin:alerting-bench-password').toString('base64')}` },
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 300) throw new Error('vigil not ready within 30 s');
    await sleep(100);
  }
  console.log(`alerting: ${GROUPS * PER_GROUP} series scraped every second, warming up 10 s…`);
  await sleep(10_000);
  const rssBefore = statusBytes(pid, 'VmRSS');
  console.log('alerting: the rule fires…');
  firing = true;
  const flippedAt = Date.now();
  const deadline = flippedAt + 120_000;
  while (notes.length < GROUPS && Date.now() < deadline) await sleep(100);
  const metricsText = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { Authorization: `Basic ${Buffer.from('admin:alerting-bench-password').toString('base64')}` },
  }).then((r) => r.text());
  const ruleEvalSeconds = Number(
    /^vigil_rule_group_last_duration_seconds\{[^}]*\} (\S+)$/m.exec(metricsText)?.[1] ?? Number.NaN,
  );
  const lat = notes.map((n) => n.arrival - n.startsAt - GROUP_WAIT_MS).sort((a, b) => a - b);
  const delivered = notes.reduce((s, n) => s + n.alerts, 0);
  console.log(`alerting: ${notes.length} notifications, ${delivered} alerts; steady state for ${STEADY_S} s…`);
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(STEADY_S * 1000);
  const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
  const ruleDriven = {
    alerts: GROUPS * PER_GROUP,
    groups: GROUPS,
    groupWaitMs: GROUP_WAIT_MS,
    notificationsReceived: notes.length,
    alertsDelivered: delivered,
    firstNotificationAfterFlipMs: notes.length > 0 ? Math.min(...notes.map((n) => n.arrival)) - flippedAt : null,
    latencyBeyondGroupWaitMs: {
      min: lat[0] ?? null,
      p50: quantile(lat, 0.5),
      p90: quantile(lat, 0.9),
      p99: quantile(lat, 0.99),
      max: lat.at(-1) ?? null,
    },
    ruleGroupLastEvalMs: Math.round(ruleEvalSeconds * 1000),
    steadyCpuCores: Number(cpu.toFixed(4)),
    rssBeforeFiringMB: Math.round(rssBefore / 2 ** 20),
    rssSteadyMB: Math.round(statusBytes(pid, 'VmRSS') / 2 ** 20),
    rssPeakMB: Math.round(statusBytes(pid, 'VmHWM') / 2 ** 20),
    ...(await heapFigures(port)),
  };
  vigil.kill('SIGTERM');
  await new Promise((r) => vigil?.once('exit', r));
  console.log('alerting: the same alerts through API v2, vigil beside Alertmanager 0.25…');
  const api = await apiComparison(GROUPS, PER_GROUP, GROUP_WAIT_MS);
  writeResults('alerting', {
    ruleDriven,
    apiDrivenBesideAlertmanager: api,
    goals: { p99BeyondGroupWaitMs: 100, memoryMB: 200 },
  });
} finally {
  if (vigil !== undefined && vigil.exitCode === null) {
    vigil.kill('SIGTERM');
    await new Promise((r) => vigil?.once('exit', r));
  }
  target.close();
  sink.close();
  rmSync(dir, { recursive: true, force: true });
}
