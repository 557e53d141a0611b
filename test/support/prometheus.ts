/**
 * Debian's Prometheus 2.42 as an oracle for tests and benchmarks: `promtool tsdb create-blocks-from
 * openmetrics`, and a `prometheus` server on a free loopback port over a given data directory. Every child is
 * bounded in time and killed by its pid (SIGKILL on the way out should the caller die first).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';

/** Why the oracle cannot run here, or false when both binaries are installed. */
export const prometheusMissing: string | false =
  existsSync(PROMETHEUS) && existsSync(PROMTOOL)
    ? false
    : `${PROMETHEUS} or ${PROMTOOL} is missing: the oracle is Debian's Prometheus 2.42 (apt-get install prometheus; npm test's pretest installs it)`;

export interface PrometheusServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly pid: number;
  /** What the process printed so far (its last 64 KiB). */
  log(): string;
  /** SIGTERM, SIGKILL after 10 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** The TSDB directory Prometheus opens (`--storage.tsdb.path`); blocks already there are served. */
  dataDir: string;
  /** The configuration file's YAML. @default no scrape jobs */
  config?: string;
  /** Further command-line flags. */
  args?: readonly string[];
  /** Longest wait for `/-/ready`. @default 30_000 */
  readyTimeoutMs?: number;
}

/**
 * Starts Prometheus with retention far beyond any test data (so old blocks stay), waits for `/-/ready`, and
 * returns it. Throws with the process' output when it exits or is not ready in time.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const port = await freePort();
  const configDir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-config-'));
  const configFile = join(configDir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? 'global:\n  evaluation_interval: 1m\nscrape_configs: []\n');
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=100y',
      '--log.level=warn',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-65_536);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(configDir, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const server: PrometheusServer = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid as number,
    log: () => output,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', killOnExit);
        rmSync(configDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  const deadline = performance.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await server.stop();
      throw new Error(`prometheus exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
    }
    const ready = await fetch(`${server.url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return server;
    if (performance.now() > deadline) {
      await server.stop();
      throw new Error(`prometheus not ready within ${options.readyTimeoutMs ?? 30_000} ms:\n${output}`);
    }
    await sleep(100);
  }
}

/**
 * `promtool tsdb create-blocks-from openmetrics FILE OUT`: 2 h blocks in `outDir`. Resolves with the wall
 * time in ms; rejects with promtool's output on failure or after `timeoutMs`.
 */
export function promtoolCreateBlocks(omFile: string, outDir: string, timeoutMs = 120_000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      PROMTOOL,
      ['tsdb', 'create-blocks-from', 'openmetrics', '-q', omFile, outDir],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`promtool tsdb create-blocks-from failed: ${err.message}\n${stderr.slice(-4000)}`));
        else resolve(performance.now() - started);
      },
    );
  });
}

/** A TCP port free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
