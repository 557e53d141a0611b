import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../log/index.ts';
import { Matcher } from '../model/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { metadataApi, targetsApi, targetsMetadataApi } from './api.ts';
import { ScrapeManager } from './manager.ts';
import { dump, FakeClock, scrapeConfigsOf, serve, TestServer } from './testing.ts';

const quiet = createLogger({ level: 'error', write: () => {} });
const body = '# HELP a_total A things.\n# TYPE a_total counter\na_total 1\n# TYPE b gauge\nb 2\n';

function newManager() {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const manager = new ScrapeManager({ appendable: storage, logger: quiet, clock });
  return { storage, clock, manager };
}

const yamlOf = (jobs: Record<string, { targets: string[]; extra?: string }>) =>
  `global:\n  scrape_interval: 15s\nscrape_configs:\n${Object.entries(jobs)
    .map(
      ([name, j]) =>
        `  - job_name: ${name}\n    static_configs: [{targets: ${JSON.stringify(j.targets)}}]\n${(j.extra ?? '').replace(/^/gm, '    ')}\n`,
    )
    .join('')}`;

describe('the scrape manager', () => {
  const x = new TestServer({ '/metrics': serve(() => body) });
  const y = new TestServer({ '/metrics': serve(() => body) });
  before(async () => {
    await x.start();
    await y.start();
  });
  after(async () => {
    await x.close();
    await y.close();
  });

  it('keeps unchanged targets on reload, stops removed ones and marks them stale two intervals later', async () => {
    const { storage, clock, manager } = newManager();
    await manager.applyConfig(
      scrapeConfigsOf(yamlOf({ a: { targets: [x.address, y.address] }, b: { targets: [x.address] } })),
    );
    await manager.start();
    await clock.advance(15_000);
    const before = manager.targetsActive();
    const ax = before.get('a')?.find((t) => t.url().includes(x.address));
    const ay = before.get('a')?.find((t) => t.url().includes(y.address));
    const b = before.get('b')?.[0];
    assert.ok(ax && ay && b);

    const removedAt = clock.now();
    const applied = await manager.applyConfig(
      scrapeConfigsOf(
        yamlOf({ a: { targets: [x.address] }, b: { targets: [x.address] }, c: { targets: [y.address] } }),
      ),
    );
    assert.deepEqual(applied, { ok: true });
    const now = manager.targetsActive();
    assert.deepEqual([...now.keys()], ['a', 'b', 'c']);
    assert.equal(now.get('a')?.[0], ax, 'the unchanged target keeps its loop and state');
    assert.equal(now.get('b')?.[0], b);
    assert.equal(now.get('a')?.length, 1);

    // The removed target's next scrape would have been one interval after its last.
    const staleAt = ay.lastScrapeMs + 15_000;
    const upY = `{__name__="up", instance="${y.address}", job="a"}`;
    await clock.advance(staleAt + 15_000 - clock.now());
    assert.equal(dump(storage).get(upY)?.length, 1, 'no stale marker before two intervals passed');
    await clock.advance(2_000);
    assert.ok(clock.now() - removedAt < 3 * 15_000);
    const series = dump(storage);
    assert.deepEqual(series.get(upY), [
      [ay.lastScrapeMs, 1],
      [staleAt, 'stale'],
    ]);
    assert.deepEqual(series.get(`{__name__="a_total", instance="${y.address}", job="a"}`)?.[1], [staleAt, 'stale']);
    const ax2 = series.get(`{__name__="a_total", instance="${x.address}", job="a"}`) ?? [];
    assert.ok(
      ax2.length >= 2 && ax2.every(([t, v], i) => v === 1 && (i === 0 || t - (ax2[i - 1]?.[0] ?? 0) === 15_000)),
      `kept target scraped on without a gap: ${JSON.stringify(ax2)}`,
    );
    await manager.close();
  });

  it('restarts a changed job with its caches and without stale markers when only limits changed', async () => {
    const { storage, clock, manager } = newManager();
    await manager.applyConfig(scrapeConfigsOf(yamlOf({ a: { targets: [x.address] } })));
    await manager.start();
    await clock.advance(15_000);
    const old = manager.targetsActive().get('a')?.[0];
    await manager.applyConfig(scrapeConfigsOf(yamlOf({ a: { targets: [x.address], extra: 'sample_limit: 100' } })));
    const fresh = manager.targetsActive().get('a')?.[0];
    assert.ok(fresh && fresh !== old, 'a new loop');
    assert.equal(fresh.metadata, old?.metadata, 'with the old cache');
    assert.equal(fresh.health, 'up', 'and the old state until it scrapes');
    await clock.advance(60_000);
    const series = dump(storage).get(`{__name__="a_total", instance="${x.address}", job="a"}`) ?? [];
    assert.ok(series.length >= 4);
    assert.ok(
      series.every(([, v]) => v === 1),
      'no stale marker in between',
    );
    await manager.close();
  });

  it('refuses a config whose relabel rules do not compile, and keeps the running one', async () => {
    const { clock, manager } = newManager();
    await manager.applyConfig(scrapeConfigsOf(yamlOf({ a: { targets: [x.address] } })));
    await manager.start();
    // The config module validates regexes too; build a job it would have refused.
    const [z] = scrapeConfigsOf(
      yamlOf({ z: { targets: [x.address], extra: 'metric_relabel_configs: [{source_labels: [a], action: drop}]' } }),
    );
    assert.ok(z);
    const rule = z.metric_relabel_configs[0];
    assert.ok(rule);
    const bad = { ...z, metric_relabel_configs: [{ ...rule, regex: '(unbalanced' }] };
    const r = await manager.applyConfig([bad]);
    assert.equal(r.ok, false);
    assert.deepEqual([...manager.targetsActive().keys()], ['a']);
    await clock.advance(15_000);
    await manager.close();
  });

  it('marks every series stale at close, and stops all timers', async () => {
    const { storage, clock, manager } = newManager();
    await manager.applyConfig(scrapeConfigsOf(yamlOf({ a: { targets: [x.address] } })));
    await manager.start();
    await clock.advance(15_000);
    await clock.advance(1_000);
    await manager.close();
    await manager.close();
    const closedAt = clock.now();
    for (const [name, samples] of dump(storage)) assert.deepEqual(samples.at(-1), [closedAt, 'stale'], name);
    assert.equal(clock.pending, 0);
  });

  it('fails every target of a job over target_limit', async () => {
    const { clock, manager } = newManager();
    await manager.applyConfig(
      scrapeConfigsOf(yamlOf({ a: { targets: [x.address, y.address], extra: 'target_limit: 1' } })),
    );
    await manager.start();
    await clock.advance(15_000);
    for (const t of manager.targetsActive().get('a') ?? []) {
      assert.equal(t.lastError?.message, 'target_limit exceeded (number of targets: 2, limit: 1)');
    }
    await manager.close();
  });
});

describe('the targets and metadata APIs', () => {
  const server = new TestServer({ '/metrics': serve(() => body) });
  before(() => server.start());
  after(() => server.close());

  it('has Prometheus JSON shapes', async () => {
    const { clock, manager } = newManager();
    const keep = 'relabel_configs: [{source_labels: [__address__], regex: "127.*", action: keep}]\nparams: {m: [x]}';
    await manager.applyConfig(
      scrapeConfigsOf(yamlOf({ app: { targets: [server.address, 'other:9100'], extra: keep } })),
    );
    await manager.start();
    const fresh = targetsApi(manager);
    assert.equal(fresh.activeTargets[0]?.health, 'unknown');
    assert.equal(fresh.activeTargets[0]?.lastScrape, '0001-01-01T00:00:00Z');
    await clock.advance(15_000);
    const t = manager.targetsActive().get('app')?.[0];
    assert.ok(t);
    const discovered = {
      __address__: server.address,
      __metrics_path__: '/metrics',
      __param_m: 'x',
      __scheme__: 'http',
      __scrape_interval__: '15s',
      __scrape_timeout__: '10s',
      job: 'app',
    };
    const url = `http://${server.address}/metrics?m=x`;
    assert.deepEqual(targetsApi(manager), {
      activeTargets: [
        {
          discoveredLabels: discovered,
          labels: { instance: server.address, job: 'app' },
          scrapePool: 'app',
          scrapeUrl: url,
          globalUrl: url,
          lastError: '',
          lastScrape: new Date(t.lastScrapeMs).toISOString().replace(/\.?0*Z$/, 'Z'),
          lastScrapeDuration: 0,
          health: 'up',
          scrapeInterval: '15s',
          scrapeTimeout: '10s',
        },
      ],
      droppedTargets: [{ discoveredLabels: { ...discovered, __address__: 'other:9100' } }],
    });
    assert.equal(targetsApi(manager, 'Active').droppedTargets.length, 0);
    assert.equal(targetsApi(manager, 'dropped').activeTargets.length, 0);
    assert.equal(targetsApi(manager, 'dropped').droppedTargets.length, 1);
    assert.deepEqual(targetsApi(manager, 'nonsense'), { activeTargets: [], droppedTargets: [] });
    const port = server.address.split(':')[1];
    assert.equal(
      targetsApi(manager, '', { listenAddress: ':9090', host: 'mon.example:443', scheme: 'https' }).activeTargets[0]
        ?.globalUrl,
      `http://mon.example:${port}/metrics?m=x`,
    );

    const target = { instance: server.address, job: 'app' };
    assert.deepEqual(targetsMetadataApi(manager), [
      { target, metric: 'a_total', type: 'counter', help: 'A things.', unit: '' },
      { target, metric: 'b', type: 'gauge', help: '', unit: '' },
    ]);
    assert.deepEqual(targetsMetadataApi(manager, { metric: 'b', matchTarget: [Matcher.create('=', 'job', 'app')] }), [
      { target, type: 'gauge', help: '', unit: '' },
    ]);
    assert.deepEqual(targetsMetadataApi(manager, { matchTarget: [Matcher.create('=', 'job', 'other')] }), []);
    assert.deepEqual(metadataApi(manager), {
      a_total: [{ type: 'counter', help: 'A things.', unit: '' }],
      b: [{ type: 'gauge', help: '', unit: '' }],
    });
    assert.deepEqual(metadataApi(manager, { limit: 1 }), {
      a_total: [{ type: 'counter', help: 'A things.', unit: '' }],
    });
    assert.deepEqual(metadataApi(manager, { metric: 'b' }), { b: [{ type: 'gauge', help: '', unit: '' }] });
    await manager.close();
  });
});
