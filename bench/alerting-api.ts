// The alerting pipeline alone, beside Debian's Alertmanager 0.25: the same 10,000 alerts (500 groups) POSTed
// through API v2 to each (vigil as `vigil start` without rules or scraping; Alertmanager with HA off), both
// routing to one local webhook sink with the same route. For each notification, the latency beyond group_wait
// is its arrival minus the moment the POST was sent minus group_wait. CPU (utime+stime) and RSS of each
// process over the burst.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ALERTMANAGER, startAlertmanager } from '../test/support/alertmanager.ts';
import { freePort } from '../test/support/prometheus.ts';

/** utime+stime of a process in seconds, from /proc/PID/stat. */
export const cpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const statusMB = (pid: number, key: string): number => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
  return m === null ? 0 : Math.round(Number(m[1]) / 1024);
};
export const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** The pid of the process listening on a loopback port (from /proc/net/tcp and each process' fds). */
function pidListeningOn(port: number): number | undefined {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inode = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex}`) && f[3] === '0A')?.[9];
  if (inode === undefined) return undefined;
  for (const pid of listPids()) {
    try {
      for (const fd of readdirSafe(`/proc/${pid}/fd`)) {
        if (readlinkSafe(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      }
    } catch {
      // gone
    }
  }
  return undefined;
}
const listPids = () =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
const readdirSafe = (p: string) => {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
};
const readlinkSafe = (p: string) => {
  try {
    return readlinkSync(p);
  } catch {
    return '';
  }
};

export interface ApiFigures {
  notifications: number;
  alerts: number;
  latencyBeyondGroupWaitMs: { min: number; p50: number; p99: number; max: number };
  cpuSecondsOverBurst: number;
  rssAfterMB: number;
  rssPeakMB: number;
}

export async function apiComparison(groups: number, perGroup: number, groupWaitMs: number) {
  interface Note {
    arrival: number;
    alerts: number;
  }
  const notes = new Map<string, Note[]>([
    ['vigil', []],
    ['alertmanager', []],
  ]);
  const sink = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { alerts: unknown[] };
      notes.get((req.url ?? '').split('/')[1] ?? '')?.push({ arrival: Date.now(), alerts: body.alerts.length });
      res.end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const routing = (who: string) => `route:
  receiver: sink
  group_by: [group]
  group_wait: ${groupWaitMs}ms
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: sink
    webhook_configs: [{url: '${hook}/${who}/hook'}]
`;
  const alerts = JSON.stringify(
    Array.from({ length: groups * perGroup }, (_, k) => ({
      labels: {
        alertname: 'BenchAlert',
        group: `g${Math.floor(k / perGroup)}`,
        instance: `i${k % perGroup}`,
        severity: 'warning',
      },
      annotations: { summary: `i${k % perGroup} of g${Math.floor(k / perGroup)} is at 1` },
    })),
  );
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerting-api-'));
  const password = 'alerting-bench-password';
  const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  let vigil: ChildProcess | undefined;
  const results: Record<string, ApiFigures | string> = {};
  try {
    writeFileSync(join(dir, 'vigil.yml'), `${routing('vigil')}collector:\n  enabled: false\n`);
    const port = await freePort();
    vigil = spawnVigilStart(dir, port, password);
    for (let i = 0; ; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/-/ready`, { headers: { Authorization: auth } }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (i > 300 || vigil.exitCode !== null) throw new Error('vigil did not start');
      await sleep(100);
    }
    const am = existsSync(ALERTMANAGER) ? await startAlertmanager(routing('alertmanager')) : undefined;
    const targets: [string, string, number | undefined, Record<string, string>][] = [
      ['vigil', `http://127.0.0.1:${port}`, vigil.pid, { Authorization: auth }],
    ];
    if (am !== undefined) {
      const amPort = Number(new URL(am.url).port);
      targets.push(['alertmanager', am.url, pidListeningOn(amPort), {}]);
    } else results.alertmanager = `${ALERTMANAGER} missing`;
    try {
      for (const [who, base, pid, headers] of targets) {
        await sleep(2000);
        const cpu0 = pid === undefined ? 0 : cpuSeconds(pid);
        const sent = Date.now();
        const r = await fetch(`${base}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body: alerts,
        });
        if (!r.ok) throw new Error(`${who}: POST answered ${r.status}: ${await r.text()}`);
        const list = notes.get(who) as Note[];
        const deadline = Date.now() + groupWaitMs + 60_000;
        while (list.length < groups && Date.now() < deadline) await sleep(50);
        await sleep(500);
        const lat = list.map((n) => n.arrival - sent - groupWaitMs).sort((a, b) => a - b);
        results[who] = {
          notifications: list.length,
          alerts: list.reduce((s, n) => s + n.alerts, 0),
          latencyBeyondGroupWaitMs: {
            min: lat[0] ?? Number.NaN,
            p50: quantile(lat, 0.5),
            p99: quantile(lat, 0.99),
            max: lat.at(-1) ?? Number.NaN,
          },
          cpuSecondsOverBurst: pid === undefined ? Number.NaN : Number((cpuSeconds(pid) - cpu0).toFixed(2)),
          rssAfterMB: pid === undefined ? Number.NaN : statusMB(pid, 'VmRSS'),
          rssPeakMB: pid === undefined ? Number.NaN : statusMB(pid, 'VmHWM'),
        };
      }
    } finally {
      await am?.stop();
    }
  } finally {
    if (vigil !== undefined && vigil.exitCode === null) {
      vigil.kill('SIGTERM');
      await new Promise((r) => vigil?.once('exit', r));
    }
    sink.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/**
 * `vigil start` from the build with `dir`/vigil.yml, its data in `dir`/data, listening on 127.0.0.1:`port`, the
 * admin password `password`. VIGIL_BENCH_NODE_ARGS: extra node flags for it, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
 */
export function spawnVigilStart(dir: string, port: number, password: string): ChildProcess {
  const bin = fileURLToPath(new URL('../bin/vigil.js', import.meta.url));
  return spawn(
    process.execPath,
    [
      ...(process.env.VIGIL_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      bin,
      'start',
      '--config',
      join(dir, 'vigil.yml'),
      '--data-dir',
      join(dir, 'data'),
      '--listen',
      `127.0.0.1:${port}`,
      '--log-level',
      'error',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, VIGIL_ADMIN_PASSWORD: password } },
  );
}
