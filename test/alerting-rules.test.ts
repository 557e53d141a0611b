// Rules to notification inside one vigil: an alerting rule fires, the alert is routed by vigil's own
// Alertmanager and delivered to a webhook; the API lists it; ALERTS is queryable. Without rule_files the
// embedded default rules run.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebhookSink } from '../src/alerting/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { basic, request } from './support/http.ts';

const auth = { Authorization: basic('admin', adminPassword) };

describe("rules notify through vigil's alerting", () => {
  const sink = new WebhookSink();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-notify-'));
  const rules = join(dir, 'rules.yml');
  let vigil: TestApp | undefined;

  before(async () => {
    const hook = await sink.start();
    writeFileSync(
      rules,
      `groups:
  - name: demo
    rules:
      - alert: AnswerIsSet
        expr: vector(42)
        labels: {severity: info}
        annotations:
          summary: 'the answer is {{ $value | humanize }}'
`,
    );
    vigil = await startApp({
      config: `global:
  evaluation_interval: 1s
rule_files: ['${rules}']
route:
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
  });
  after(async () => {
    await vigil?.close();
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers the rule alert with its expanded annotation and vigil's generator URL", async () => {
    await sink.waitFor((r) => r.length >= 1, 15_000);
    const a = sink.received[0]?.body.alerts[0];
    assert.equal(a?.labels.alertname, 'AnswerIsSet');
    assert.equal(a?.labels.severity, 'info');
    assert.equal(a?.annotations.summary, 'the answer is 42');
    assert.ok(a?.generatorURL.startsWith(`${vigil?.base}/graph?g0.expr=`), a?.generatorURL);
    const rules = await request(`${vigil?.base}/api/v1/alerts`, { headers: auth });
    assert.match(rules.text, /"alertname":"AnswerIsSet"/);
    // ALERTS is written by the same evaluation, right after the alert is handed to alerting.
    const query = `${vigil?.base}/api/v1/query?query=${encodeURIComponent('ALERTS{alertname="AnswerIsSet"}')}`;
    let text = '';
    for (let i = 0; i < 30 && !text.includes('"alertstate":"firing"'); i++) {
      text = (await request(query, { headers: auth })).text;
      if (!text.includes('firing')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(text, /"alertstate":"firing"/);
  });
});

describe('the embedded default rules', () => {
  let vigil: TestApp | undefined;
  before(async () => {
    vigil = await startApp({ config: 'collector:\n  enabled: false\n' });
  });
  after(() => vigil?.close());

  it('are loaded when the config names no rule files', async () => {
    const r = await request(`${vigil?.base}/api/v1/rules`, { headers: auth });
    assert.equal(r.status, 200);
    const groups = r.json<{ data: { groups: { name: string; rules: unknown[] }[] } }>().data.groups;
    assert.deepEqual(
      groups.map((g) => g.name),
      ['vigil-default'],
    );
    assert.ok((groups[0]?.rules.length ?? 0) >= 8);
  });
});
