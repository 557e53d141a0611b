import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { parseConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { Outbox } from '../notify/index.ts';
import { Store } from '../store/index.ts';
import { Alertmanager } from './alertmanager.ts';
import { WebhookSink } from './testing.ts';

const logger = createLogger({ write: () => {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Rig {
  am: Alertmanager;
  outbox: Outbox;
  store: Store;
  close(): Promise<void>;
}

function config(sinkUrl: string, extra = '') {
  return parseConfig(
    `
route:
  receiver: hook
  group_by: [alertname, cluster]
  group_wait: 300ms
  group_interval: 600ms
  repeat_interval: 1500ms
${extra}
receivers:
  - name: hook
    webhook_configs:
      - url: ${sinkUrl}/hook
`,
    'alertmanager.yml',
    {},
  );
}

describe('Alertmanager', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
  const sink = new WebhookSink();
  let url = '';
  let rig: Rig | undefined;
  before(async () => {
    url = await sink.start();
  });
  after(async () => {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    sink.received.length = 0;
  });

  function open(name: string, extra = ''): Rig {
    const c = config(url, extra);
    const store = Store.open({ path: join(dir, `${name}.db`), logger });
    const registry = new Registry();
    const outbox = new Outbox({ store, logger, registry, retry: { initialMs: 50, maxMs: 200 } });
    outbox.start();
    const am = new Alertmanager({
      store,
      sink: outbox,
      logger,
      registry,
      config: c.alerting,
      global: c.global,
      configDir: dir,
      externalURL: () => 'http://vigil.example',
      configYaml: () => '',
      version: 'test',
    });
    am.start();
    return {
      am,
      outbox,
      store,
      async close() {
        await am.close();
        await outbox.close();
        store.close();
      },
    };
  }

  const post = (am: Alertmanager, alerts: unknown[]) => {
    const a = am.postAlerts(JSON.stringify(alerts));
    assert.equal(a.status, 200, JSON.stringify(a.body));
  };

  it("waits group_wait, then sends one notification per group with Alertmanager's payload", async () => {
    rig = open('basic');
    const t0 = Date.now();
    post(rig.am, [
      {
        labels: { alertname: 'HighLatency', cluster: 'eu1', instance: 'web-2', job: 'web' },
        annotations: { summary: 's' },
      },
      { labels: { alertname: 'HighLatency', cluster: 'eu1', instance: 'web-1', job: 'web' } },
      { labels: { alertname: 'HighLatency', cluster: 'us1', instance: 'web-9', job: 'web' } },
    ]);
    await sink.waitFor((r) => r.length >= 2);
    assert.ok(Date.now() - t0 >= 280, 'not before group_wait');
    const eu = sink.received.find((r) => r.body.groupLabels.cluster === 'eu1')?.body;
    assert.ok(eu);
    assert.equal(eu.groupKey, '{}:{alertname="HighLatency", cluster="eu1"}');
    assert.equal(eu.version, '4');
    assert.equal(eu.status, 'firing');
    assert.equal(eu.receiver, 'hook');
    assert.equal(eu.externalURL, 'http://vigil.example');
    assert.deepEqual(
      eu.alerts.map((a) => a.labels.instance),
      ['web-1', 'web-2'],
    );
    assert.equal(eu.alerts[0]?.endsAt, '0001-01-01T00:00:00Z');
    assert.deepEqual(eu.commonLabels, { alertname: 'HighLatency', cluster: 'eu1', job: 'web' });
    assert.equal(eu.truncatedAlerts, 0);
    assert.match(eu.alerts[0]?.fingerprint ?? '', /^[0-9a-f]{16}$/);
  });

  it('does not repeat before repeat_interval, repeats after, and sends the resolution', async () => {
    rig = open('repeat');
    post(rig.am, [{ labels: { alertname: 'A', cluster: 'x' } }]);
    await sink.waitFor((r) => r.length === 1);
    await sleep(900);
    assert.equal(sink.received.length, 1, 'no repeat inside repeat_interval');
    await sink.waitFor((r) => r.length === 2, 3000);
    assert.equal(sink.received[1]?.body.status, 'firing');
    post(rig.am, [{ labels: { alertname: 'A', cluster: 'x' }, endsAt: new Date().toISOString() }]);
    await sink.waitFor((r) => r.some((x) => x.body.status === 'resolved'), 3000);
    const last = sink.received.at(-1)?.body;
    assert.equal(last?.alerts[0]?.status, 'resolved');
  });

  it('mutes silenced alerts and notifies once the silence expires', async () => {
    rig = open('silence');
    const now = Date.now();
    const s = rig.am.postSilence(
      JSON.stringify({
        matchers: [{ name: 'alertname', value: 'Quiet', isRegex: false }],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 60_000).toISOString(),
        createdBy: 'test',
        comment: 'maintenance',
      }),
    );
    assert.equal(s.status, 200);
    const id = (s.body as { silenceID: string }).silenceID;
    post(rig.am, [{ labels: { alertname: 'Quiet', cluster: 'x' } }]);
    const listed = rig.am.getAlerts(new URLSearchParams()).body as {
      status: { state: string; silencedBy: string[] };
    }[];
    assert.equal(listed[0]?.status.state, 'suppressed');
    assert.deepEqual(listed[0]?.status.silencedBy, [id]);
    await sleep(1000);
    assert.equal(sink.received.length, 0);
    assert.equal(rig.am.deleteSilence(id).status, 200);
    assert.equal(rig.am.deleteSilence(id).status, 200, 'expiring again is fine');
    await sink.waitFor((r) => r.length === 1, 2000);
  });

  it('inhibits targets while a source alert fires, with equal labels', async () => {
    rig = open(
      'inhibit',
      `inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [cluster]`,
    );
    post(rig.am, [
      { labels: { alertname: 'Down', cluster: 'eu1', severity: 'critical' } },
      { labels: { alertname: 'Slow', cluster: 'eu1', severity: 'warning' } },
      { labels: { alertname: 'Slow', cluster: 'us1', severity: 'warning' } },
    ]);
    await sink.waitFor((r) => r.length >= 2);
    await sleep(700);
    const keys = sink.received.map((r) => r.body.groupKey).sort();
    assert.deepEqual(keys, ['{}:{alertname="Down", cluster="eu1"}', '{}:{alertname="Slow", cluster="us1"}']);
    const alerts = rig.am.getAlerts(new URLSearchParams({ inhibited: 'false' })).body as unknown[];
    assert.equal(alerts.length, 2);
  });

  it('sends nothing from a route in a mute time interval or outside its active time interval', async () => {
    rig = open(
      'intervals',
      `  routes:
    - matchers: [team="muted"]
      mute_time_intervals: [always]
    - matchers: [team="inactive"]
      active_time_intervals: [never]
    - matchers: [team="active"]
      active_time_intervals: [always]
time_intervals:
  - name: always
    time_intervals: [{weekdays: ['sunday:saturday']}]
  - name: never
    time_intervals: [{years: ['1999']}]`,
    );
    post(rig.am, [
      { labels: { alertname: 'M', cluster: 'x', team: 'muted' } },
      { labels: { alertname: 'I', cluster: 'x', team: 'inactive' } },
      { labels: { alertname: 'A', cluster: 'x', team: 'active' } },
    ]);
    await sink.waitFor((r) => r.length >= 1);
    await sleep(900);
    assert.deepEqual(
      sink.received.map((r) => r.body.groupLabels.alertname),
      ['A'],
    );
  });

  it('keeps the notification log across a restart: no repeat of what was sent', async () => {
    rig = open('restart');
    post(rig.am, [{ labels: { alertname: 'Persist', cluster: 'x' } }]);
    await sink.waitFor((r) => r.length === 1);
    await rig.close();
    rig = open('restart');
    post(rig.am, [{ labels: { alertname: 'Persist', cluster: 'x' } }]);
    await sleep(1000);
    assert.equal(sink.received.length, 1, 'the restarted instance did not send again inside repeat_interval');
  });

  it('answers bad requests as Alertmanager 0.25 does', () => {
    rig = open('errors');
    const am = rig.am;
    const cases: [string, () => { status: number; body: unknown }, number, unknown][] = [
      ['empty labels', () => am.postAlerts('[{"labels":{}}]'), 400, 'at least one label pair required'],
      [
        'no labels',
        () => am.postAlerts('[{"annotations":{"a":"b"}}]'),
        422,
        { code: 602, message: '0.labels in body is required' },
      ],
      ['bad name', () => am.postAlerts('[{"labels":{"0bad":"x"}}]'), 400, 'invalid label set: invalid name "0bad"'],
      [
        'start after end',
        () => am.postAlerts('[{"labels":{"a":"b"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}]'),
        400,
        'start time must be before end time',
      ],
      [
        'no matchers',
        () =>
          am.postSilence(
            JSON.stringify({
              matchers: [],
              startsAt: '2026-01-01T00:00:00Z',
              endsAt: '2099-01-01T00:00:00Z',
              createdBy: 'a',
              comment: 'c',
            }),
          ),
        422,
        { code: 612, message: 'matchers in body should have at least 1 items' },
      ],
      [
        'matches empty',
        () =>
          am.postSilence(
            JSON.stringify({
              matchers: [{ name: 'a', value: '.*', isRegex: true }],
              startsAt: '2026-01-01T00:00:00Z',
              endsAt: '2099-01-01T00:00:00Z',
              createdBy: 'a',
              comment: 'c',
            }),
          ),
        400,
        'silence invalid: at least one matcher must not match the empty string',
      ],
      [
        'ends in the past',
        () =>
          am.postSilence(
            JSON.stringify({
              matchers: [{ name: 'a', value: 'b', isRegex: false }],
              startsAt: '2020-01-01T00:00:00Z',
              endsAt: '2020-01-02T00:00:00Z',
              createdBy: 'a',
              comment: 'c',
            }),
          ),
        400,
        "Failed to create silence: end time can't be in the past",
      ],
      [
        'no createdBy',
        () =>
          am.postSilence(
            JSON.stringify({
              matchers: [{ name: 'a', value: 'b', isRegex: false }],
              startsAt: '2026-01-01T00:00:00Z',
              endsAt: '2099-01-01T00:00:00Z',
              comment: 'c',
            }),
          ),
        422,
        { code: 602, message: 'createdBy in body is required' },
      ],
      ['unknown silence', () => am.deleteSilence('00000000-0000-0000-0000-000000000000'), 500, 'silence not found'],
      ['get unknown silence', () => am.getSilence('00000000-0000-0000-0000-000000000000'), 404, undefined],
    ];
    for (const [name, call, status, body] of cases) {
      const a = call();
      assert.equal(a.status, status, name);
      assert.deepEqual(a.body, body, name);
    }
    // A body shaped like an answer is still a body: an object where an array of alerts is expected.
    const answerShaped = am.postAlerts('{"status":200,"body":"x"}');
    assert.equal(answerShaped.status, 422);
    const bad = am.postAlerts('nope');
    assert.equal(bad.status, 400);
    assert.match((bad.body as { message: string }).message, /^parsing alerts body from "" failed, because /);
  });
});
