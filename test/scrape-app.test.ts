import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Matcher } from '../src/model/index.ts';
import { collect } from '../src/storage/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

/** Polls `check` every 100 ms until it returns true or `ms` pass. */
async function eventually(check: () => Promise<boolean> | boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('condition not met in time');
}

describe('scraping inside vigil start', () => {
  let target: Server;
  let port = 0;
  let t: TestApp;
  const admin = { Authorization: basic('admin', adminPassword) };
  const config = (jobs: string) => `global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\n${jobs}`;
  const demoJob = () =>
    `scrape_configs:\n  - job_name: demo\n    static_configs:\n      - targets: ['127.0.0.1:${port}']\n`;

  before(async () => {
    target = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end('# HELP demo_jobs_total Jobs done.\n# TYPE demo_jobs_total counter\ndemo_jobs_total{queue="a"} 42\n');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    port = (target.address() as { port: number }).port;
    t = await startApp({ config: config(demoJob()) });
  });
  after(async () => {
    await t.close();
    target.close();
  });

  const read = (name: string) => {
    const q = t.app.tsdb.querier(0, Date.now() + 60_000);
    try {
      return collect(q.select(true, undefined, [Matcher.create('=', '__name__', name)]));
    } finally {
      q.close();
    }
  };

  it('scrapes the configured targets and itself into the TSDB', async () => {
    await eventually(() => read('demo_jobs_total').length === 1 && read('vigil_build_info').length === 1);
    assert.equal(
      read('demo_jobs_total')[0]?.[0],
      `{__name__="demo_jobs_total", instance="127.0.0.1:${port}", job="demo", queue="a"}`,
    );
    const up = read('up')
      .map(([l, samples]) => [l.replace(/instance="[^"]+", /, ''), samples.at(-1)?.[1]])
      .sort();
    assert.deepEqual(up, [
      ['{__name__="up", job="demo"}', 1],
      ['{__name__="up", job="vigil"}', 1],
    ]);
  });

  it('lists targets and metadata in Prometheus shapes', async () => {
    const r = await request(`${t.base}/api/v1/targets`, { headers: admin });
    assert.equal(r.status, 200);
    const data = r.json<{
      data: { activeTargets: Array<{ labels: { job: string }; health: string; scrapePool: string }> };
    }>().data;
    assert.deepEqual(data.activeTargets.map((x) => [x.scrapePool, x.labels.job, x.health]).sort(), [
      ['demo', 'demo', 'up'],
      ['vigil', 'vigil', 'up'],
    ]);
    const meta = await request(`${t.base}/api/v1/metadata?metric=demo_jobs_total`, { headers: admin });
    assert.deepEqual(meta.json<{ data: unknown }>().data, {
      demo_jobs_total: [{ type: 'counter', help: 'Jobs done.', unit: '' }],
    });
    const tm = await request(`${t.base}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="demo"}')}`, {
      headers: admin,
    });
    assert.equal(tm.status, 200);
    assert.ok(tm.json<{ data: Array<{ metric: string }> }>().data.some((m) => m.metric === 'demo_jobs_total'));
    const bad = await request(`${t.base}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job=')}`, {
      headers: admin,
    });
    assert.equal(bad.status, 400);
  });

  it('drops a job on reload and keeps scraping itself', async () => {
    writeFileSync(t.configFile as string, config(''));
    assert.equal((await request(`${t.base}/-/reload`, { method: 'POST', headers: admin })).status, 200);
    const r = await request(`${t.base}/api/v1/targets`, { headers: admin });
    const pools = r
      .json<{ data: { activeTargets: Array<{ scrapePool: string }> } }>()
      .data.activeTargets.map((x) => x.scrapePool);
    assert.deepEqual(pools, ['vigil']);
  });
});
