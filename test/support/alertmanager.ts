/**
 * Debian's Alertmanager 0.25 (`prometheus-alertmanager`) as an oracle: started on a free loopback port with a
 * given config, HA off, its own storage directory; killed on the way out should the caller die first.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './prometheus.ts';

export const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export const alertmanagerMissing: string | false = existsSync(ALERTMANAGER)
  ? false
  : `${ALERTMANAGER} is missing: the oracle is Debian's Alertmanager 0.25 (apt-get install prometheus-alertmanager; npm test's pretest installs it)`;

export interface AlertmanagerServer {
  readonly url: string;
  log(): string;
  stop(): Promise<void>;
}

export async function startAlertmanager(config: string, readyTimeoutMs = 20_000): Promise<AlertmanagerServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, config);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    ALERTMANAGER,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      '--log.level=debug',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-262_144);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const server: AlertmanagerServer = {
    url,
    log: () => output,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(t);
        }
        process.removeListener('exit', killOnExit);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
  const deadline = performance.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await server.stop();
      throw new Error(`alertmanager exited with ${child.exitCode}:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return server;
    if (performance.now() > deadline) {
      await server.stop();
      throw new Error(`alertmanager not ready within ${readyTimeoutMs} ms:\n${output}`);
    }
    await sleep(100);
  }
}
