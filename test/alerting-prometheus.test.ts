// Debian's Prometheus 2.42 evaluates a rule file and sends its alerts to vigil as to an Alertmanager
// (`alerting.alertmanagers`, API v2, basic auth): they arrive, are listed by the API and notified.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebhookSink } from '../src/alerting/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';
import { type PrometheusServer, prometheusMissing, startPrometheus } from './support/prometheus.ts';

describe('Prometheus sends its alerts to vigil', { skip: prometheusMissing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-prom-alerts-'));
  const sink = new WebhookSink();
  let vigil: TestApp | undefined;
  let prometheus: PrometheusServer | undefined;

  before(async () => {
    const hook = await sink.start();
    vigil = await startApp({
      config: `route:
  receiver: hook
  group_by: [alertname]
  group_wait: 200ms
receivers:
  - name: hook
    webhook_configs: [{url: '${hook}/hook'}]
collector:
  enabled: false
`,
    });
    const rules = join(dir, 'rules.yml');
    writeFileSync(
      rules,
      `groups:
  - name: always
    rules:
      - alert: AlwaysFiring
        expr: vector(42)
        labels: {severity: warning}
        annotations:
          summary: 'the value is {{ $value }}'
`,
    );
    const target = new URL(vigil.base).host;
    prometheus = await startPrometheus({
      dataDir: join(dir, 'prometheus'),
      // The first evaluation may run before the Alertmanager is discovered (that alert is dropped); resend soon.
      args: ['--rules.alert.resend-delay=1s'],
      config: `global:
  evaluation_interval: 1s
rule_files: ['${rules}']
alerting:
  alertmanagers:
    - api_version: v2
      basic_auth: {username: admin, password: '${adminPassword}'}
      static_configs: [{targets: ['${target}']}]
`,
    });
  });
  after(async () => {
    await prometheus?.stop();
    await vigil?.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('receives, lists and notifies the alert', async () => {
    await sink
      .waitFor((r) => r.length >= 1, 20_000)
      .catch((err: Error) => {
        throw new Error(
          `${err.message}\nprometheus:\n${prometheus?.log()}\nvigil:\n${vigil?.logs.slice(-20).join('\n')}`,
        );
      });
    const note = sink.received[0]?.body;
    assert.equal(note?.status, 'firing');
    assert.equal(note?.groupKey, '{}:{alertname="AlwaysFiring"}');
    assert.deepEqual(note?.alerts[0]?.labels, { alertname: 'AlwaysFiring', severity: 'warning' });
    assert.equal(note?.alerts[0]?.annotations.summary, 'the value is 42');
    assert.match(note?.alerts[0]?.generatorURL ?? '', /\/graph\?g0\.expr=vector%2842%29/);
    const r = await request(`${vigil?.base}/api/v2/alerts`, {
      headers: { Authorization: basic('admin', adminPassword) },
    });
    const alerts = r.json<{ labels: Record<string, string>; status: { state: string } }[]>();
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.status.state, 'active');
  });
});
