/**
 * For the oracle tests: input data as OpenMetrics text, and running Debian's promtool and Prometheus 2.42
 * (`/usr/bin`) as child processes with bounded time. Not part of the build's public names.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { compareLabels, Labels } from '../../model/index.ts';

export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';
/** Why the oracle tests are skipped, or false when both binaries are there. */
export const oracleMissing = !existsSync(PROMTOOL) || !existsSync(PROMETHEUS) ? 'apt-get install prometheus' : false;

export interface OracleSeries {
  labels: Labels;
  /** [Unix ms, value] in time order. */
  samples: Array<[number, number]>;
}

export interface OracleInput {
  text: string;
  /** Sorted by labels. */
  series: OracleSeries[];
  /** Step between samples of a series, ms. */
  stepMs: number;
  /** First sample of the aligned series, Unix ms: a multiple of 2 h a few hours before `nowMs`. */
  startMs: number;
}

const HOUR = 3_600_000;
const STEP_MS = 15_000;
const SAMPLES = 250;

/**
 * Twelve series of 250 samples each (3,000 samples, about an hour, inside one 2 h block range), with label
 * values in several scripts, an astral-plane character and an escaped quote; one family is sampled a quarter
 * second off the step to exercise millisecond timestamps.
 */
export function openMetricsInput(nowMs: number): OracleInput {
  const startMs = Math.floor((nowMs - 5 * HOUR) / (2 * HOUR)) * 2 * HOUR;
  const families: Array<{
    name: string;
    type: string;
    suffix: string;
    offsetMs: number;
    sets: Record<string, string>[];
  }> = [
    {
      name: 'vigil_requests',
      type: 'counter',
      suffix: '_total',
      offsetMs: 0,
      sets: ['/', '/caf\u00e9', '/\u65e5\u672c', '/\u{1d11e}', '/\uffee'].flatMap((path, i) => [
        { method: 'GET', path, code: '200' },
        ...(i < 2 ? [{ method: 'POST', path, code: '500' }] : []),
      ]),
    },
    {
      name: 'vigil_temperature_celsius',
      type: 'gauge',
      suffix: '',
      offsetMs: 250,
      sets: [{ room: 'Z\u00fcrich' }, { room: 'say "hi"' }, { room: '\u0645\u0637\u0628\u062e', zone: 'b' }],
    },
    {
      name: 'up',
      type: 'gauge',
      suffix: '',
      offsetMs: 0,
      sets: [{ job: 'vigil', instance: '127.0.0.1:9090' }, { job: 'node' }],
    },
  ];
  const lines: string[] = [];
  const series: OracleSeries[] = [];
  families.forEach((f, fi) => {
    lines.push(`# TYPE ${f.name} ${f.type}`);
    f.sets.forEach((set, si) => {
      const labels = Labels.fromObject({ ...set, __name__: f.name + f.suffix });
      const text = Object.entries(set)
        .map(([n, v]) => `${n}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
        .join(',');
      const samples: Array<[number, number]> = [];
      for (let i = 0; i < SAMPLES; i++) {
        const t = startMs + i * STEP_MS + f.offsetMs;
        const v =
          f.type === 'counter'
            ? i * (si + 1) * 3
            : f.name === 'up'
              ? i % 50 === 7
                ? 0
                : 1
              : 20 + fi * Math.sin(i / 9) - si / 4;
        samples.push([t, v]);
        lines.push(`${f.name}${f.suffix}{${text}} ${v} ${(t / 1000).toFixed(3)}`);
      }
      series.push({ labels, samples });
    });
  });
  lines.push('# EOF', '');
  series.sort((a, b) => compareLabels(a.labels, b.labels));
  return { text: lines.join('\n'), series, stepMs: STEP_MS, startMs };
}

/** Runs `file args`, resolving with stdout; rejects with stderr on failure or after `timeoutMs`. */
export function run(file: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningPrometheus {
  url: string;
  /** Everything it logged so far. */
  log(): string;
  /** Kills it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

/** Starts Prometheus on `dataDir` and waits (at most `readyTimeoutMs`) until `/-/ready` answers 200. */
export async function startPrometheus(
  dataDir: string,
  configFile: string,
  readyTimeoutMs = 30_000,
): Promise<RunningPrometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));
  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline && alive) {
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, log: () => output, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`prometheus did not become ready within ${readyTimeoutMs} ms:\n${output}`);
}
