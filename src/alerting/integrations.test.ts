import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { Registry } from 'prom-client';
import { SMTPServer } from 'smtp-server';
import { parseConfig } from '../config/index.ts';
import { createLogger } from '../log/index.ts';
import { Outbox } from '../notify/index.ts';
import { SlackLikeServer } from '../notify/testing.ts';
import { Store } from '../store/index.ts';
import { Alertmanager } from './alertmanager.ts';

const logger = createLogger({ write: () => {} });

describe('Slack and email notifications', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-am-int-'));
  let slack: SlackLikeServer;
  const mails: Awaited<ReturnType<typeof simpleParser>>[] = [];
  let smtp: SMTPServer;
  let smtpPort = 0;
  let am: Alertmanager;
  let outbox: Outbox;
  let store: Store;

  before(async () => {
    slack = await SlackLikeServer.start();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (m) => {
            mails.push(m);
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    const c = parseConfig(
      `
global:
  smtp_smarthost: 127.0.0.1:${smtpPort}
  smtp_from: vigil@example.org
  smtp_require_tls: false
route:
  receiver: team
  group_by: [alertname, cluster]
  group_wait: 100ms
  group_interval: 400ms
receivers:
  - name: team
    slack_configs:
      - api_url: ${slack.url('T1/B1/abc')}
        send_resolved: true
        fields:
          - title: Runbook
            value: '{{ .CommonAnnotations.runbook }}'
    email_configs:
      - to: oncall@example.org
        send_resolved: true
`,
      'alertmanager.yml',
      {},
    );
    store = Store.open({ path: join(dir, 'v.db'), logger });
    const registry = new Registry();
    outbox = new Outbox({ store, logger, registry, slackRatePerSecond: 0 });
    outbox.start();
    am = new Alertmanager({
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
  });
  after(async () => {
    await am.close();
    await outbox.close();
    store.close();
    await slack.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders Block Kit with the Alertmanager title, vigil link, severity colour and escaped text, and an email', async () => {
    const labels = (instance: string) => ({ alertname: 'HighLatency', cluster: 'eu1', instance, severity: 'warning' });
    const annotations = { summary: 'p99 > 2s for <b>checkout</b> & cart', runbook: 'https://runbooks/latency' };
    const r = am.postAlerts(
      JSON.stringify([
        { labels: labels('web-1'), annotations },
        { labels: labels('web-2'), annotations },
      ]),
    );
    assert.equal(r.status, 200);
    await slack.until(() => slack.received.length >= 1);
    const body = slack.received[0]?.body as {
      text: string;
      attachments: {
        color: string;
        fallback: string;
        blocks: { type: string; text?: { text: string }; fields?: { text: string }[] }[];
      }[];
    };
    const title = '[FIRING:2] HighLatency eu1 (warning)';
    const link = 'http://vigil.example/alerts?receiver=team';
    assert.equal(body.text, `${title} | ${link}`);
    const att = body.attachments[0];
    assert.equal(att?.color, 'warning');
    assert.equal(att?.blocks[0]?.text?.text, `*<${link}|${title}>*`);
    const text = att?.blocks[1]?.text?.text ?? '';
    assert.match(text, /\*HighLatency\* on web-1: p99 &gt; 2s for &lt;b&gt;checkout&lt;\/b&gt; &amp; cart/);
    assert.match(text, /web-2/);
    assert.equal(att?.blocks[2]?.fields?.[0]?.text, '*Runbook*\nhttps://runbooks/latency');

    const until = Date.now() + 5000;
    while (mails.length === 0 && Date.now() < until) await new Promise((res) => setTimeout(res, 50));
    const mail = mails[0];
    assert.equal(mail?.subject, title);
    assert.equal(mail?.from?.text, 'vigil@example.org');
    assert.match(String(mail?.html), /HighLatency/);
    assert.match(mail?.text ?? '', /^\[FIRING:2\] HighLatency eu1 \(warning\)/);
    assert.match(mail?.text ?? '', /Summary: p99 > 2s for <b>checkout<\/b> & cart/);
    assert.match(mail?.text ?? '', /View in vigil: http:\/\/vigil\.example\/alerts\?receiver=team/);

    am.postAlerts(
      JSON.stringify([
        { labels: labels('web-1'), annotations, endsAt: new Date().toISOString() },
        { labels: labels('web-2'), annotations, endsAt: new Date().toISOString() },
      ]),
    );
    await slack.until(() => slack.received.length >= 2);
    const resolved = slack.received[1]?.body as { attachments: { color: string }[]; text: string };
    assert.equal(resolved.attachments[0]?.color, 'good');
    assert.match(resolved.text, /^\[RESOLVED\] HighLatency eu1 \(warning\)/);
  });
});
