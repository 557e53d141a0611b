// `/api/v1/rules` and `/api/v1/alerts` of a real server over loopback, backed by a RuleManager on a MemoryStorage:
// Prometheus' JSON shapes, filters and parameter errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { parseConfig } from '../src/config/index.ts';
import { rulesHarness, silentLogger } from '../src/rules/testing.ts';
import { VigilServer } from '../src/server/index.ts';
import { Store } from '../src/store/index.ts';
import { request } from './support/http.ts';

const t0 = Date.UTC(2024, 0, 1);
const min = 60_000;

describe('the rules and alerts API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-api-'));
  const store = Store.open({ path: join(dir, 'vigil.db'), logger: silentLogger });
  const h = rulesHarness({ startMs: t0 + 3 * min + 250 });
  let server: VigilServer;
  let base = '';

  before(async () => {
    for (let i = 0; i <= 3; i++) {
      await h.add('foo{instance="a"}', t0 + i * min, 10);
      await h.add('foo{instance="b"}', t0 + i * min, i === 3 ? 7.5 : 1);
    }
    await h.load(
      `groups:
  - name: alerts
    interval: 1m
    rules:
      - alert: High
        expr: foo > 5
        for: 2m
        labels: { severity: page }
        annotations: { summary: 'v={{ $value }}' }
      - alert: Never
        expr: foo > 100
  - name: recording
    interval: 30s
    limit: 10
    rules:
      - record: foo:doubled
        expr: foo * 2
      - record: foo:labelled
        expr: foo
        labels: { team: db }
      - record: broken
        expr: foo
        labels: { instance: same }
`,
      '/etc/vigil/rules.yml',
    );
    for (let i = 0; i <= 3; i++) await h.manager.evalAll(t0 + i * min);
    const config = parseConfig('server:\n  listen: 127.0.0.1:0\n  auth: none\n', 'test.yml', {});
    server = new VigilServer({
      config: config.server,
      listen: '127.0.0.1:0',
      store,
      logger: silentLogger,
      registry: new Registry(),
      build: { version: 'test', revision: '', nodeVersion: process.version },
      control: {
        reload: async () => ({ ok: true }),
        quit: () => {},
        isReady: () => true,
        configYaml: () => '',
        flags: () => ({}),
        runtimeInfo: () => ({}),
      },
      rules: () => h.manager,
    });
    await server.start();
    base = server.url();
  });

  after(async () => {
    await server?.stop();
    await h.manager.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // biome-ignore lint/suspicious/noExplicitAny: JSON answers are checked field by field
  const get = async (path: string): Promise<{ status: number; body: any; text: string }> => {
    const r = await request(`${base}${path}`);
    return { status: r.status, body: r.json(), text: r.text };
  };

  it('lists groups and rules in Prometheus shape', async () => {
    const r = await get('/api/v1/rules');
    assert.equal(r.status, 200);
    assert.equal(r.body.status, 'success');
    const [alerts, recording] = r.body.data.groups;
    assert.deepEqual(Object.keys(alerts), [
      'name',
      'file',
      'rules',
      'interval',
      'limit',
      'evaluationTime',
      'lastEvaluation',
    ]);
    assert.equal(alerts.name, 'alerts');
    assert.equal(alerts.file, '/etc/vigil/rules.yml');
    assert.equal(alerts.interval, 60);
    assert.equal(recording.interval, 30);
    assert.equal(recording.limit, 10);
    assert.equal(alerts.lastEvaluation, '2024-01-01T00:03:00.25Z');
    assert.equal(typeof alerts.evaluationTime, 'number');
    const [high, never] = alerts.rules;
    const { evaluationTime, ...rest } = high;
    assert.equal(typeof evaluationTime, 'number');
    assert.deepEqual(rest, {
      state: 'firing',
      name: 'High',
      query: 'foo > 5',
      duration: 120,
      keepFiringFor: 0,
      labels: { severity: 'page' },
      annotations: { summary: 'v={{ $value }}' },
      alerts: [
        {
          labels: { alertname: 'High', instance: 'a', severity: 'page' },
          annotations: { summary: 'v=10' },
          state: 'firing',
          activeAt: '2024-01-01T00:00:00Z',
          value: '1e+01',
        },
        {
          labels: { alertname: 'High', instance: 'b', severity: 'page' },
          annotations: { summary: 'v=7.5' },
          state: 'pending',
          activeAt: '2024-01-01T00:03:00Z',
          value: '7.5e+00',
        },
      ],
      health: 'ok',
      lastEvaluation: '2024-01-01T00:03:00.25Z',
      type: 'alerting',
    });
    assert.equal(never.state, 'inactive');
    assert.deepEqual(never.alerts, []);
    assert.deepEqual(never.labels, {});
    const [doubled, labelled, broken] = recording.rules;
    assert.deepEqual(Object.keys(doubled), ['name', 'query', 'health', 'evaluationTime', 'lastEvaluation', 'type']);
    assert.equal(doubled.query, 'foo * 2');
    assert.deepEqual(labelled.labels, { team: 'db' });
    assert.equal(broken.health, 'err');
    assert.equal(broken.lastError, 'vector contains metrics with the same labelset after applying rule labels');
  });

  it('filters by type, rule name, group, file and label matchers', async () => {
    const names = async (q: string) =>
      (await get(`/api/v1/rules?${q}`)).body.data.groups.flatMap((g: { rules: { name: string }[] }) =>
        g.rules.map((r) => r.name),
      );
    assert.deepEqual(await names('type=alert'), ['High', 'Never']);
    assert.deepEqual(await names('type=RECORD'), ['foo:doubled', 'foo:labelled', 'broken']);
    assert.deepEqual(await names('rule_name[]=High&rule_name[]=broken'), ['High', 'broken']);
    assert.deepEqual(await names('rule_group[]=recording'), ['foo:doubled', 'foo:labelled', 'broken']);
    assert.deepEqual(await names('file[]=/other.yml'), []);
    assert.deepEqual(await names('match[]={team="db"}&match[]={severity="page"}'), ['High', 'foo:labelled']);
    const excluded = await get('/api/v1/rules?exclude_alerts=true&type=alert');
    assert.equal(excluded.body.data.groups[0].rules[0].alerts, null);
    assert.deepEqual((await get('/api/v1/rules?rule_name[]=nope')).body, { status: 'success', data: { groups: [] } });
  });

  it('refuses bad parameters with upstream texts', async () => {
    const bad = await get('/api/v1/rules?type=both');
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "type": not supported value "both"',
    });
    const ex = await get('/api/v1/rules?exclude_alerts=maybe');
    assert.equal(ex.status, 400);
    assert.equal(
      ex.body.error,
      'invalid parameter "exclude_alerts": error converting exclude_alerts: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    const m = await get('/api/v1/rules?match[]={a=~".*"}');
    assert.equal(m.body.error, 'match[] must contain at least one non-empty matcher');
  });

  it('lists pending and firing alerts', async () => {
    const r = await get('/api/v1/alerts');
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.data.alerts.map((a: { labels: { instance: string }; state: string }) => `${a.labels.instance}:${a.state}`),
      ['a:firing', 'b:pending'],
    );
    assert.ok(r.text.startsWith('{"status":"success","data":{"alerts":[{"labels":{"alertname":"High"'));
  });
});
