// Scrapes a real prometheus-node-exporter (the Debian package) when it is installed; skipped otherwise.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { ScrapeManager } from './manager.ts';
import { dump, FakeClock, scrapeConfigsOf } from './testing.ts';

const bin = '/usr/bin/prometheus-node-exporter';
const skip = existsSync(bin) ? false : `${bin} is not installed`;

/** A free loopback port: bound, read, released. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

describe('a real node_exporter', { skip }, () => {
  let child: ChildProcess;
  let address: string;
  before(async () => {
    address = `127.0.0.1:${await freePort()}`;
    child = spawn(bin, [`--web.listen-address=${address}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    // node_exporter logs "Listening on" once it serves.
    await new Promise<void>((resolve, reject) => {
      let log = '';
      child.stderr?.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Listening on')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`node_exporter exited with ${code}: ${log}`)));
    });
  });
  after(() => {
    child.kill();
  });

  it('lands every sample with the target labels and the synthetic series', async () => {
    const storage = new MemoryStorage();
    const clock = new FakeClock(Date.now());
    const manager = new ScrapeManager({ appendable: storage, logger: createLogger({ write: () => {} }), clock });
    await manager.applyConfig(
      scrapeConfigsOf(`scrape_configs:\n  - job_name: node\n    static_configs: [{targets: ['${address}']}]\n`),
    );
    await manager.start();
    await clock.advance(60_000);
    const t = manager.targetsActive().get('node')?.[0];
    assert.equal(t?.lastError, null);
    const series = dump(storage);
    const synthetic = (name: string) => series.get(`{__name__="${name}", instance="${address}", job="node"}`)?.[0]?.[1];
    assert.equal(synthetic('up'), 1);
    const scraped = synthetic('scrape_samples_scraped') as number;
    assert.ok(scraped > 100);
    assert.equal(synthetic('scrape_series_added'), scraped);
    const own = [...series.keys()].filter((k) => !/__name__="(up|scrape_[a-z_]+)"/.test(k));
    assert.equal(own.length, scraped, 'one series per exposed sample');
    assert.ok(own.every((k) => k.includes(`instance="${address}"`) && k.includes('job="node"')));
    assert.ok(own.some((k) => k.startsWith('{__name__="node_')));
    await manager.close();
  });
});
