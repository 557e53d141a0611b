// The Alerts page in Debian's headless Chromium against a real App whose alerting routes to local webhooks and
// whose rule manager runs an always-firing rule: the groups as routed with their alerts, the receiver filter, a
// silence created from an alert through the form (and a refused one), expiring it, the refresh that keeps
// unchanged cards in place, the delivery history after group_wait, dead letters retried and discarded, the rule
// alert, and (stubbed in the browser) rules in Prometheus' shape and a rule manager that is not running.
// Screenshots under test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';
import { basic, request } from './support/http.ts';

const skip = browserMissing
  ? browserMissing
  : !existsSync('dist/ui/index.html')
    ? 'dist/ui is not built: run npm run build'
    : false;

/** Webhook receivers on 127.0.0.1: `/broken` answers `brokenStatus` (a 4xx makes a dead letter), the rest 200. */
class Hooks {
  readonly received: { path: string; receiver: string }[] = [];
  brokenStatus = 400;
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const status = path === '/broken' ? this.brokenStatus : 200;
      if (status === 200) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { receiver: string };
        this.received.push({ path, receiver: body.receiver });
      }
      res.statusCode = status;
      res.end(status === 200 ? '' : 'no such hook');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const config = (hooks: string, rules: string) => `
global:
  evaluation_interval: 1s
rule_files: ['${rules}']
route:
  receiver: web
  group_by: [alertname]
  group_wait: 200ms
  group_interval: 1s
  repeat_interval: 1h
  routes:
    - receiver: db
      matchers: [team="db"]
    - receiver: broken
      matchers: [team="broken"]
receivers:
  - name: web
    webhook_configs: [{url: '${hooks}/web'}]
  - name: db
    webhook_configs: [{url: '${hooks}/db'}]
  - name: broken
    webhook_configs: [{url: '${hooks}/broken'}]
collector:
  enabled: false
`;

const alwaysFiring = `groups:
  - name: ui
    interval: 1s
    rules:
      - alert: AlwaysFiring
        expr: vector(1) > 0
        for: 0s
        labels: {severity: info}
        annotations: {summary: Always firing for the UI test}
`;

const alerts = [
  {
    labels: { alertname: 'HighLatency', instance: 'web-1', severity: 'warning' },
    annotations: { summary: 'Latency above 1s', description: 'p99 of web-1 is 1.4s' },
  },
  { labels: { alertname: 'DiskFull', instance: 'db-1', team: 'db' }, annotations: { summary: 'Disk 95% full' } },
  { labels: { alertname: 'HookGone', team: 'broken' } },
  { labels: { alertname: 'HookMoved', team: 'broken' } },
];

const until = async (what: string, ok: () => Promise<boolean> | boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('web UI: the Alerts page', { skip, timeout: 90_000 }, () => {
  const hooks = new Hooks();
  const auth = { Authorization: basic('admin', adminPassword) };
  let rulesDir = '';
  let t: TestApp;
  let browser: TestBrowser | undefined;
  let page: Page;
  let problems: string[] = [];
  const screenshot = (name: string) =>
    page.screenshot({ path: join('test-output', `ui-alerts-${name}.png`), fullPage: true });
  const postAlerts = async (list: unknown[]) => {
    const r = await request(`${t.base}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...auth },
      body: JSON.stringify(list),
    });
    assert.equal(r.status, 200, r.text);
  };
  const group = (receiver: string, alertname: string) =>
    page.locator(`section.group[data-receiver="${receiver}"]`).filter({ hasText: alertname });

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    rulesDir = mkdtempSync(join(tmpdir(), 'vigil-ui-rules-'));
    writeFileSync(join(rulesDir, 'rules.yml'), alwaysFiring);
    t = await startApp({ config: config(await hooks.start(), join(rulesDir, 'rules.yml')) });
    await postAlerts(alerts);
    browser = await launchBrowser();
    page = browser.page;
    problems = browser.problems;
    await page.goto(`${t.base}/alerts`);
    assert.equal(new URL(page.url()).pathname, '/login');
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.main a[aria-current="page"]');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    await hooks.close();
    rmSync(rulesDir, { recursive: true, force: true });
  });

  it('lists the groups as routed, one card per group, with their alerts and labels', async () => {
    assert.equal(new URL(page.url()).pathname, '/alerts');
    assert.equal(await page.locator('nav.main a[aria-current="page"]').textContent(), 'Alerts');
    const web = group('web', 'HighLatency');
    await web.waitFor();
    const text = (await web.textContent()) ?? '';
    for (const part of ['alertname="HighLatency"', 'instance="web-1"', 'severity="warning"', 'Latency above 1s'])
      assert.ok(text.includes(part), `${part} in ${text}`);
    assert.equal(await web.locator('tbody tr[data-state="active"]').count(), 1);
    await group('db', 'DiskFull').waitFor();
    assert.match((await group('db', 'DiskFull').textContent()) ?? '', /team="db"/);
    await screenshot('groups');
  });

  it('filters the groups by ?receiver=', async () => {
    await page.goto(`${t.base}/alerts?receiver=db`);
    await group('db', 'DiskFull').waitFor();
    assert.equal(await page.locator('section.group[data-receiver="web"]').count(), 0);
    assert.equal(await page.locator('#receiver-filter').inputValue(), 'db');
    await page.selectOption('#receiver-filter', '');
    await group('web', 'HighLatency').waitFor();
    assert.equal(new URL(page.url()).search, '');
  });

  it('shows a refused silence next to the form, creates one from an alert, and the alert turns silenced', async () => {
    const row = group('web', 'HighLatency').locator('tbody tr');
    await row.locator('button', { hasText: 'Silence' }).click();
    const form = page.locator('#silence-form');
    await form.waitFor();
    const names = await Promise.all((await form.locator('[name="m-name"]').all()).map((l) => l.inputValue()));
    assert.deepEqual(names, ['alertname', 'instance', 'severity']);
    assert.equal(await page.locator('#silence-author').inputValue(), 'admin');
    // An invalid regex: the server's 400 text shows next to the form, which stays open.
    await form.locator('[name="m-op"]').nth(1).selectOption('=~');
    await form.locator('[name="m-value"]').nth(1).fill('web-(');
    await page.fill('#silence-comment', 'Deploying web-1');
    await form.locator('button[type=submit]').click();
    await page.locator('#silence-error').filter({ hasText: /\S/ }).waitFor();
    assert.match((await page.locator('#silence-error').textContent()) ?? '', /invalid regular expression "web-\("/);
    assert.ok(await form.isVisible());
    await screenshot('silence-refused');

    await form.locator('[name="m-op"]').nth(1).selectOption('=');
    await form.locator('[name="m-value"]').nth(1).fill('web-1');
    await page.check('input[name=duration][value="1h"]');
    await form.locator('button[type=submit]').click();
    await form.waitFor({ state: 'hidden' });
    const listed = page.locator('#silences-live tbody tr[data-state="active"]');
    await listed.waitFor();
    const silence = (await listed.textContent()) ?? '';
    assert.match(silence, /alertname="HighLatency"/);
    assert.match(silence, /instance="web-1"/);
    assert.match(silence, /Deploying web-1/);
    assert.match(silence, /admin/);
    await group('web', 'HighLatency').locator('tbody tr[data-state="suppressed"]').waitFor();
    assert.match((await row.textContent()) ?? '', /SILENCED/);
    // "silenced by <id>" scrolls to the silence without leaving the page.
    await page.mouse.wheel(0, -10_000);
    const url = page.url();
    await row.locator('a[href^="#silence-"]').click();
    const box = await listed.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 900, `the silence row is at ${box?.y}`);
    assert.equal(page.url(), url);
    const r = await request(`${t.base}/api/v2/silences`, { headers: auth });
    const [created] = r.json<{ endsAt: string; startsAt: string; createdBy: string }[]>();
    assert.ok(created);
    assert.equal(created.createdBy, 'admin');
    const ms = Date.parse(created.endsAt) - Date.parse(created.startsAt);
    assert.ok(Math.abs(ms - 3_600_000) < 5000, `silence lasts ${ms} ms`);
    await screenshot('silenced');
  });

  it('expires the silence from the page, and the alert is active again', async () => {
    await page.locator('#silences-live tbody tr button', { hasText: 'Expire' }).click();
    await group('web', 'HighLatency').locator('tbody tr[data-state="active"]').waitFor();
    assert.equal(await page.locator('#silences-live').isVisible(), false);
    await page.locator('#silences-expired summary').click();
    await page.locator('#silences-expired tbody tr[data-state="expired"]').waitFor();
  });

  it('refreshes every 10 s in place: a new alert appears, unchanged cards keep their nodes', async () => {
    const db = await page.$('section.group[data-receiver="db"]');
    assert.ok(db);
    await postAlerts([{ labels: { alertname: 'QueueBacklog', instance: 'mq-1' } }]);
    await group('web', 'QueueBacklog').waitFor({ timeout: 15_000 });
    assert.equal(await db.evaluate((el) => el.isConnected), true);
  });

  it('lists the webhook deliveries after group_wait', async () => {
    await until('the web and db deliveries', () =>
      ['web', 'db'].every((r) => hooks.received.some((x) => x.receiver === r)),
    );
    await page.reload();
    const sent = page.locator('#deliveries tbody tr[data-status="sent"]');
    await sent.first().waitFor();
    const text = (await page.locator('#deliveries').textContent()) ?? '';
    assert.match(text, /web/);
    assert.match(text, /db/);
    assert.match(text, /webhook/);
    assert.match((await page.locator('#outbox-depth').textContent()) ?? '', /\d+ waiting/);
  });

  it('retries and discards dead letters', async () => {
    const dead = page.locator('#dead-letters tbody tr');
    await until('two dead letters', async () => {
      await page.reload();
      await page.locator('#notifications').waitFor();
      return (await dead.count()) === 2;
    });
    assert.match((await page.locator('#dead-letters').textContent()) ?? '', /400/);
    await screenshot('dead-letters');
    hooks.brokenStatus = 200;
    await dead.first().locator('button', { hasText: 'Retry' }).click();
    await until('the retried delivery', () => hooks.received.some((x) => x.receiver === 'broken'));
    await until('one dead letter left', async () => (await dead.count()) === 1);
    await dead.first().locator('button', { hasText: 'Discard' }).click();
    await until('an empty dead-letter list', async () => (await dead.count()) === 0);
  });

  it('draws rule alerts and failing rules from a Prometheus-shaped /api/v1/rules (answer stubbed in the browser)', async () => {
    const activeAt = new Date(Date.now() - 180_000).toISOString();
    const rule = (name: string, extra: Record<string, unknown>) => ({
      name,
      query: 'vector(1) > 0',
      duration: 0,
      keepFiringFor: 0,
      labels: { severity: 'info' },
      annotations: {},
      alerts: [],
      health: 'ok',
      evaluationTime: 0.001,
      lastEvaluation: new Date().toISOString(),
      type: 'alerting',
      state: 'inactive',
      ...extra,
    });
    const alert = (alertname: string, state: string, value: string) => ({
      labels: { alertname, severity: 'info', instance: 'host-1' },
      annotations: { summary: `${alertname} summary`, description: `${alertname} description` },
      state,
      activeAt,
      value,
    });
    const body = {
      status: 'success',
      data: {
        groups: [
          {
            name: 'stub',
            file: '/etc/vigil/stub.yml',
            interval: 1,
            limit: 0,
            evaluationTime: 0.001,
            lastEvaluation: new Date().toISOString(),
            rules: [
              rule('StubFiring', { state: 'firing', alerts: [alert('StubFiring', 'firing', '1e+00')] }),
              rule('StubPending', { state: 'pending', alerts: [alert('StubPending', 'pending', '9.5e-01')] }),
              rule('StubBroken', { health: 'err', lastError: 'found duplicate series for the match group' }),
            ],
          },
        ],
      },
    };
    await page.route('**/api/v1/rules*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }),
    );
    try {
      await page.goto(`${t.base}/alerts`);
      const rules = page.locator('#rules');
      const firing = rules.locator('tr[data-alertname="StubFiring"]');
      await firing.waitFor();
      const text = (await firing.textContent()) ?? '';
      for (const part of ['FIRING', 'instance="host-1"', 'StubFiring summary', 'StubFiring description', '3m ago'])
        assert.ok(text.includes(part), `${part} in ${text}`);
      assert.equal(await firing.locator('td.num').textContent(), '1');
      const pending = rules.locator('tr[data-alertname="StubPending"]');
      assert.match((await pending.textContent()) ?? '', /PENDING/);
      assert.equal(await pending.locator('td.num').textContent(), '0.95');
      assert.match(
        (await rules.locator('h2').textContent()) ?? '',
        /3 alerting rules: 1 firing, 1 pending, 1 inactive/,
      );
      assert.match(
        (await rules.locator('li[data-rule="StubBroken"]').textContent()) ?? '',
        /found duplicate series for the match group/,
      );
      await firing.locator('button', { hasText: 'Silence' }).click();
      const names = await Promise.all(
        (await page.locator('#silence-form [name="m-name"]').all()).map((l) => l.inputValue()),
      );
      assert.deepEqual(names, ['alertname', 'instance', 'severity']);
      await page.locator('#silence-form button', { hasText: 'Cancel' }).click();
      await screenshot('rules-stubbed');
    } finally {
      await page.unroute('**/api/v1/rules*');
    }
  });

  it('shows the always-firing rule: its alert under the rules, and routed to its receiver', async () => {
    await until('the rule to fire', async () => {
      const r = await request(`${t.base}/api/v1/alerts`, { headers: auth });
      return r.status === 200 && r.text.includes('"firing"');
    });
    await page.goto(`${t.base}/alerts`);
    const alert = page.locator('#rules tr[data-alertname="AlwaysFiring"]');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    assert.match(text, /FIRING/);
    assert.match(text, /severity="info"/);
    assert.match(text, /Always firing for the UI test/);
    assert.equal(await alert.locator('td.num').textContent(), '1');
    await group('web', 'AlwaysFiring').waitFor();
    await screenshot('rules');
  });

  it('says plainly when the rule manager is not running (a 503, stubbed in the browser)', async () => {
    const body = { status: 'error', errorType: 'unavailable', error: 'the rule manager is not running' };
    await page.route('**/api/v1/rules*', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(body) }),
    );
    try {
      await page.goto(`${t.base}/alerts`);
      const note = page.locator('#rules [data-unavailable]');
      await note.waitFor();
      assert.equal(await note.textContent(), 'The rule manager is not running.');
      assert.equal(await page.locator('#rules [role=alert]').count(), 0);
      await group('web', 'HighLatency').waitFor();
    } finally {
      await page.unroute('**/api/v1/rules*');
    }
  });

  it('looks right in dark mode and raised no page error or CSP refusal', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(problems, []);
  });
});
