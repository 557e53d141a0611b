import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { scrapeAcceptHeader } from '../exposition/index.ts';
import { createLogger } from '../log/index.ts';
import { MemoryStorage } from '../storage/index.ts';
import { ScrapeManager } from './manager.ts';
import type { Target } from './target.ts';
import { dump, FakeClock, scrapeConfigsOf, serve, TestServer } from './testing.ts';

const quiet = createLogger({ level: 'error', write: () => {} });

/** A manager on a fake clock over a memory storage, scraping jobs of `yaml` (`ADDR` is the test server). */
async function setup(server: TestServer, yaml: string) {
  const storage = new MemoryStorage();
  const clock = new FakeClock();
  const manager = new ScrapeManager({ appendable: storage, logger: quiet, clock, userAgent: 'vigil/test' });
  const applied = await manager.applyConfig(scrapeConfigsOf(yaml.replaceAll('ADDR', server.address)));
  assert.deepEqual(applied, { ok: true });
  await manager.start();
  const target = (job: string): Target => {
    const t = manager.targetsActive().get(job)?.[0];
    assert.ok(t, `job ${job} has a target`);
    return t;
  };
  return { storage, clock, manager, target };
}

const job = (name: string, extra = '') =>
  `  - job_name: ${name}\n    static_configs: [{targets: [ADDR]}]\n${extra.replace(/^/gm, '    ')}\n`;
const config = (...jobs: string[]) => `global:\n  scrape_interval: 15s\nscrape_configs:\n${jobs.join('')}`;

describe('scraping a good target', () => {
  let body = '';
  const server = new TestServer({
    '/metrics': serve(() => body),
    '/om': serve(
      () =>
        '# TYPE jobs counter\n# HELP jobs Jobs run.\njobs_total{kind="a"} 3\njobs_created{kind="a"} 1700000000\n# TYPE temp_celsius gauge\n# UNIT temp_celsius celsius\ntemp_celsius 21.5\n# EOF\n',
      { contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', gzip: true },
    ),
  });
  before(() => server.start());
  after(() => server.close());

  it('stores every sample with the target labels, and the synthetic series', async () => {
    body =
      '# HELP reqs_total Requests.\n# TYPE reqs_total counter\nreqs_total{code="200"} 10\nreqs_total{code="500"} 2\ntemp 21.5\n';
    const { storage, clock, manager, target } = await setup(server, config(job('app')));
    await clock.advance(15_000);
    const t = target('app');
    const t1 = t.lastScrapeMs;
    assert.ok(t1 > 0);
    const inst = server.address;
    const at = (v: number | 'stale') => [[t1, v]];
    assert.deepEqual(
      Object.fromEntries(dump(storage)),
      Object.fromEntries([
        [`{__name__="reqs_total", code="200", instance="${inst}", job="app"}`, at(10)],
        [`{__name__="reqs_total", code="500", instance="${inst}", job="app"}`, at(2)],
        [`{__name__="scrape_duration_seconds", instance="${inst}", job="app"}`, at(0)],
        [`{__name__="scrape_samples_post_metric_relabeling", instance="${inst}", job="app"}`, at(3)],
        [`{__name__="scrape_samples_scraped", instance="${inst}", job="app"}`, at(3)],
        [`{__name__="scrape_series_added", instance="${inst}", job="app"}`, at(3)],
        [`{__name__="temp", instance="${inst}", job="app"}`, at(21.5)],
        [`{__name__="up", instance="${inst}", job="app"}`, at(1)],
      ]),
    );
    assert.equal(t.health, 'up');
    assert.equal(t.lastError, null);
    assert.deepEqual(t.metadata?.getMetadata('reqs_total'), {
      metric: 'reqs_total',
      type: 'counter',
      help: 'Requests.',
      unit: '',
    });

    await clock.advance(15_000);
    assert.equal(t.lastScrapeMs, t1 + 15_000, 'the next scrape is one interval later, on the grid');
    const series = dump(storage);
    assert.deepEqual(series.get(`{__name__="reqs_total", code="200", instance="${inst}", job="app"}`), [
      [t1, 10],
      [t1 + 15_000, 10],
    ]);
    assert.deepEqual(series.get(`{__name__="scrape_series_added", instance="${inst}", job="app"}`)?.[1], [
      t1 + 15_000,
      0,
    ]);
    await manager.close();
  });

  it('sends Prometheus headers and reads gzipped OpenMetrics', async () => {
    const { storage, clock, manager, target } = await setup(server, config(job('om', 'metrics_path: /om')));
    server.seen.length = 0;
    await clock.advance(15_000);
    const h = server.seen.find((r) => r.path === '/om')?.headers;
    assert.equal(h?.accept, scrapeAcceptHeader);
    assert.equal(h?.['accept-encoding'], 'gzip');
    assert.equal(h?.['user-agent'], 'vigil/test');
    assert.equal(h?.['x-prometheus-scrape-timeout-seconds'], '10');
    const t = target('om');
    const inst = server.address;
    const series = dump(storage);
    assert.deepEqual(series.get(`{__name__="jobs_total", instance="${inst}", job="om", kind="a"}`), [
      [t.lastScrapeMs, 3],
    ]);
    assert.deepEqual(series.get(`{__name__="temp_celsius", instance="${inst}", job="om"}`), [[t.lastScrapeMs, 21.5]]);
    assert.deepEqual(series.get(`{__name__="up", instance="${inst}", job="om"}`), [[t.lastScrapeMs, 1]]);
    assert.deepEqual(t.metadata?.getMetadata('temp_celsius'), {
      metric: 'temp_celsius',
      type: 'gauge',
      help: '',
      unit: 'celsius',
    });
    await manager.close();
  });
});

describe('labels and timestamps', () => {
  const exposedTs = Date.UTC(2024, 0, 1) - 100_000;
  const server = new TestServer({
    '/metrics': serve(() => `m{job="exposed",instance="x",foo="bar"} 1\nts_metric 5 ${exposedTs}\ngo_gc 1\n`),
  });
  before(() => server.start());
  after(() => server.close());

  it('honor_labels and honor_timestamps, on and off', async () => {
    const { storage, clock, manager, target } = await setup(
      server,
      config(job('plain', 'honor_timestamps: false'), job('honor', 'honor_labels: true')),
    );
    await clock.advance(15_000);
    const inst = server.address;
    const series = dump(storage);
    const tPlain = target('plain').lastScrapeMs;
    assert.deepEqual(
      series.get(
        `{__name__="m", exported_instance="x", exported_job="exposed", foo="bar", instance="${inst}", job="plain"}`,
      ),
      [[tPlain, 1]],
    );
    assert.deepEqual(series.get(`{__name__="m", foo="bar", instance="x", job="exposed"}`), [
      [target('honor').lastScrapeMs, 1],
    ]);
    assert.deepEqual(series.get(`{__name__="ts_metric", instance="${inst}", job="plain"}`), [[tPlain, 5]]);
    assert.deepEqual(series.get(`{__name__="ts_metric", instance="${inst}", job="honor"}`), [[exposedTs, 5]]);
    await manager.close();
  });

  it('metric_relabel_configs drop and rewrite series; the synthetic series count what is left', async () => {
    const relabel = [
      'metric_relabel_configs:',
      '  - source_labels: [__name__]',
      '    regex: go_.*',
      '    action: drop',
      '  - source_labels: [foo]',
      '    target_label: foo',
      '    replacement: baz',
      '    regex: bar',
    ].join('\n');
    const { storage, clock, manager, target } = await setup(server, config(job('relabel', relabel)));
    await clock.advance(15_000);
    await clock.advance(15_000);
    const t = target('relabel');
    const inst = server.address;
    const series = dump(storage);
    assert.equal(
      [...series.keys()].some((k) => k.includes('go_gc')),
      false,
    );
    assert.ok(
      series.has(
        `{__name__="m", exported_instance="x", exported_job="exposed", foo="baz", instance="${inst}", job="relabel"}`,
      ),
    );
    assert.deepEqual(series.get(`{__name__="scrape_samples_scraped", instance="${inst}", job="relabel"}`)?.[1], [
      t.lastScrapeMs,
      3,
    ]);
    assert.deepEqual(
      series.get(`{__name__="scrape_samples_post_metric_relabeling", instance="${inst}", job="relabel"}`)?.[1],
      [t.lastScrapeMs, 2],
    );
    await manager.close();
  });
});

describe('staleness and limits', () => {
  let scrapes = 0;
  const bodies = ['a 1\nb 2\n', 'a 1\n', 'a 1\nb 2\nc 3\n'];
  const server = new TestServer({ '/metrics': serve(() => bodies[Math.min(scrapes++, bodies.length - 1)] as string) });
  before(() => server.start());
  after(() => server.close());

  it('marks a series that disappeared stale at the next scrape', async () => {
    scrapes = 0;
    const { storage, clock, manager, target } = await setup(server, config(job('stale')));
    await clock.advance(15_000);
    const t1 = target('stale').lastScrapeMs;
    await clock.advance(15_000);
    const series = dump(storage);
    const inst = server.address;
    assert.deepEqual(series.get(`{__name__="b", instance="${inst}", job="stale"}`), [
      [t1, 2],
      [t1 + 15_000, 'stale'],
    ]);
    assert.deepEqual(series.get(`{__name__="a", instance="${inst}", job="stale"}`), [
      [t1, 1],
      [t1 + 15_000, 1],
    ]);
    await manager.close();
  });

  it('fails the whole scrape over sample_limit and marks its series stale', async () => {
    scrapes = 1;
    const { storage, clock, manager, target } = await setup(server, config(job('limited', 'sample_limit: 2')));
    await clock.advance(15_000);
    const t = target('limited');
    const t1 = t.lastScrapeMs;
    assert.equal(t.health, 'up');
    await clock.advance(15_000);
    assert.equal(t.health, 'down');
    assert.equal(t.lastError?.message, 'sample limit exceeded');
    const series = dump(storage);
    const inst = server.address;
    const at2 = (k: string) => series.get(`{__name__="${k}", instance="${inst}", job="limited"}`)?.[1];
    assert.deepEqual(series.get(`{__name__="a", instance="${inst}", job="limited"}`), [
      [t1, 1],
      [t1 + 15_000, 'stale'],
    ]);
    assert.equal(series.has(`{__name__="c", instance="${inst}", job="limited"}`), false);
    assert.deepEqual(at2('up'), [t1 + 15_000, 0]);
    assert.deepEqual(at2('scrape_samples_scraped'), [t1 + 15_000, 3]);
    await manager.close();
  });

  it('fails the scrape on label limits with Prometheus wording', async () => {
    scrapes = 0;
    const yaml = config(
      job('labels', 'label_limit: 2'),
      job('values', 'label_value_length_limit: 8\nmetrics_path: /metrics'),
    ).replace('- job_name: values\n', '- job_name: values\n    params: {x: [y]}\n');
    const { clock, manager, target } = await setup(server, yaml);
    await clock.advance(15_000);
    assert.equal(
      target('labels').lastError?.message,
      'label_limit exceeded (metric: a, number of labels: 3, limit: 2)',
    );
    assert.equal(
      target('values').lastError?.message,
      `label_value_length_limit exceeded (metric: a, label name: instance, value: "${server.address}", length: ${server.address.length}, limit: 8)`,
    );
    await manager.close();
  });
});

describe('a prom-client registry', () => {
  const registry = new Registry();
  const requests = new Counter({
    name: 'app_requests_total',
    help: 'Requests.',
    labelNames: ['route'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'app_latency_seconds',
    help: 'Latency.',
    buckets: [0.1, 1],
    registers: [registry],
  });
  const server = new TestServer({
    '/metrics': (_req, res) => {
      void registry.metrics().then((text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text));
    },
  });
  before(() => server.start());
  after(() => server.close());

  it('lands every exposed sample', async () => {
    requests.inc({ route: '/a' }, 3);
    latency.observe(0.5);
    const { storage, clock, manager, target } = await setup(server, config(job('node-app')));
    await clock.advance(15_000);
    const t = target('node-app');
    const exposed = (await registry.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    const series = dump(storage);
    const inst = server.address;
    const scraped = series.get(`{__name__="scrape_samples_scraped", instance="${inst}", job="node-app"}`);
    assert.deepEqual(scraped, [[t.lastScrapeMs, exposed.length]]);
    assert.equal(series.size, exposed.length + 5);
    assert.deepEqual(series.get(`{__name__="app_requests_total", instance="${inst}", job="node-app", route="/a"}`), [
      [t.lastScrapeMs, 3],
    ]);
    assert.deepEqual(
      series.get(`{__name__="app_latency_seconds_bucket", instance="${inst}", job="node-app", le="1"}`),
      [[t.lastScrapeMs, 1]],
    );
    assert.deepEqual(t.metadata?.getMetadata('app_latency_seconds')?.type, 'histogram');
    await manager.close();
  });
});
