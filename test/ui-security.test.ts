// The Security page in Debian's headless Chromium against a real App whose gateway (the WAF's built-in baseline
// rules) fronts a local HTTP server: attacks sent over HTTPS become security events, which the page summarizes
// and lists; the filters (action, rule id) go to the URL and to the server; a row expands into its matches, stays
// expanded across the 10 s refresh, and attacker-controlled text stays text. Also the API's filters and summary
// over those events, an event without a site (the gateway's refusal of an unknown host), the empty states (no
// gateway; a gateway and no events) and the page at a phone's width.
// Screenshots under test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';
import { type Backend, get, startBackend } from './support/gateway.ts';
import { basic, request } from './support/http.ts';

const skip = browserMissing
  ? browserMissing
  : !existsSync('dist/ui/index.html')
    ? 'dist/ui is not built: run npm run build'
    : false;

const auth = { authorization: basic('admin', adminPassword) };

interface Listed {
  requestId: string;
  site: string;
  action: string;
  event: { uri: string; matches: { id: number; msg: string; data: string }[] };
}

/**
 * Opens the app and signs in; console errors are collected in `errors` (the caller empties it once on the Security
 * page: the Overview it lands on fails to load live container figures with the collector off).
 */
async function signIn(t: TestApp): Promise<{ browser: TestBrowser; page: Page; errors: string[] }> {
  const browser = await launchBrowser();
  const page = browser.page;
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  await page.goto(`${t.base}/`);
  await page.fill('#username', 'admin');
  await page.fill('#password', adminPassword);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.main a[aria-current="page"]');
  return { browser, page, errors };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join('test-output', `ui-security-${name}.png`), fullPage: true });

describe('the Security page', { skip }, () => {
  let backend: Backend;
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let errors: string[];
  let port: number;

  const attacks = [
    { host: 'app.test', path: '/search?q=<script>alert(1)</script>', status: 403 },
    { host: 'app.test', path: "/item?id=1'%20OR%20'1'%3D'1", status: 403 },
    { host: 'app.test', path: '/../../etc/passwd', status: 403 },
    { host: 'watch.test', path: '/x?a=<img%20src=x%20onerror=alert(1)>', status: 200 },
    { host: 'watch.test', path: "/q?id=1'%20OR%20'1'%3D'1", status: 200 },
  ];
  const imgUri = '/x?a=<img%20src=x%20onerror=alert(1)>';

  const listed = async (query = '') => {
    const r = await request(`${t.base}/api/v1/security/events${query}`, { headers: auth });
    assert.equal(r.status, 200, r.text);
    return r.json<{ data: Listed[] }>().data;
  };
  const rows = () => page.locator('#security-events tr.sec-event');
  /** Waits until the table shows `n` events. */
  const waitForRows = async (n: number, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while ((await rows().count()) !== n) {
      if (Date.now() > end) assert.fail(`the table shows ${await rows().count()} events, not ${n}`);
      await page.waitForTimeout(50);
    }
  };

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    backend = await startBackend();
    t = await startApp({
      config: [
        'collector:',
        '  enabled: false',
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        '  metrics_listen: none',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        '    - hosts: [watch.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        '      waf: { mode: detection_only }',
      ].join('\n'),
    });
    port = t.app.gateway?.addresses().https.port as number;
    assert.ok(port > 0);
    ({ browser, page, errors } = await signIn(t));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await backend?.close();
  });

  it('says there are no events yet when the gateway has seen none', async () => {
    await page.click('nav.main a[href="/security"]');
    const empty = page.locator('#security-summary .sec-empty');
    await empty.waitFor();
    assert.equal(await empty.textContent(), 'No security events in the last 24 hours.');
    errors.length = 0;
    assert.equal(await page.locator('#security-events-card').isHidden(), true);
  });

  it('keeps the events of attacks sent through the gateway, and the API filters and summarizes them', async () => {
    for (const a of attacks) {
      assert.equal((await get(port, a.path, { servername: a.host })).status, a.status, a.path);
    }
    assert.equal((await get(port, '/fine', { servername: 'app.test' })).status, 200);
    for (let i = 0; i < 100 && (await listed()).length < attacks.length; i++)
      await new Promise((r) => setTimeout(r, 20));
    const all = await listed();
    assert.deepEqual(
      all.map((e) => e.event.uri),
      attacks.map((a) => a.path).reverse(),
      'newest first, the benign request left out',
    );

    const uris = async (q: string) => (await listed(q)).map((e) => e.event.uri);
    assert.deepEqual(await uris('?action=detected'), [attacks[4]?.path, attacks[3]?.path]);
    assert.deepEqual(await uris('?site=app.test&action=blocked&limit=2'), [attacks[2]?.path, attacks[1]?.path]);
    assert.deepEqual(await uris('?rule_id=10100'), [attacks[4]?.path, attacks[1]?.path]);
    assert.deepEqual(await uris('?rule_id=10100&action=blocked&client_ip=127.0.0.1'), [attacks[1]?.path]);
    assert.deepEqual(await uris('?client_ip=192.0.2.1'), []);
    assert.deepEqual(await uris(`?since=${Date.now() + 60_000}`), []);

    for (const [q, name] of [
      ['action=allowed', 'action'],
      ['rule_id=abc', 'rule_id'],
      ['client_ip=not-an-ip', 'client_ip'],
      [`site=${'x'.repeat(300)}`, 'site'],
      ['limit=5000', 'limit'],
      ['since=soon', 'since'],
    ] as const) {
      const r = await request(`${t.base}/api/v1/security/events?${q}`, { headers: auth });
      assert.equal(r.status, 400, q);
      assert.match(r.json<{ error: string }>().error, new RegExp(`^invalid ${name} `), q);
    }

    const s = await request(`${t.base}/api/v1/security/summary`, { headers: auth });
    const sum = s.json<{
      data: {
        total: number;
        blocked: number;
        detected: number;
        top_ips: unknown[];
        top_rules: { id: number; msg: string; count: number }[];
        top_sites: unknown[];
      };
    }>().data;
    assert.deepEqual([sum.total, sum.blocked, sum.detected], [5, 3, 2]);
    assert.deepEqual(sum.top_ips, [{ ip: '127.0.0.1', count: 5 }]);
    assert.deepEqual(sum.top_sites, [
      { site: 'app.test', count: 3 },
      { site: 'watch.test', count: 2 },
    ]);
    assert.deepEqual(
      sum.top_rules.find((r) => r.id === 10100),
      { id: 10100, msg: 'SQL injection (libinjection)', count: 2 },
    );
    const later = await request(`${t.base}/api/v1/security/summary?since=${Date.now() + 60_000}`, { headers: auth });
    assert.equal(later.json<{ data: { total: number } }>().data.total, 0);
    assert.equal((await request(`${t.base}/api/v1/security/summary?since=x`, { headers: auth })).status, 400);
  });

  it('shows the summary and the events, newest first, attacker text as text', async () => {
    // The page refreshes within 10 s; switching the window reloads at once.
    await page.click('[data-range="1h"]');
    assert.match(page.url(), /\/security\?range=1h$/);
    await rows()
      .nth(attacks.length - 1)
      .waitFor();
    assert.equal(await rows().count(), attacks.length);
    assert.equal(await page.locator('#security-summary h2').textContent(), 'Last hour');
    const summary = (await page.locator('#security-summary').textContent()) ?? '';
    assert.match(summary, /5 events/);
    assert.match(summary, /3 blocked/);
    assert.match(summary, /2 detected/);
    assert.match((await page.locator('#security-top-ips').textContent()) ?? '', /127\.0\.0\.1 · 5/);
    assert.match(
      (await page.locator('#security-top-rules').textContent()) ?? '',
      /10100 SQL injection \(libinjection\) · 2/,
    );
    assert.match((await page.locator('#security-top-sites').textContent()) ?? '', /app\.test · 3.*watch\.test · 2/);

    const img = rows().nth(1);
    assert.equal(await img.locator('td.sec-uri').textContent(), imgUri);
    assert.equal(await img.locator('td.sec-uri').getAttribute('title'), imgUri);
    assert.equal(await img.locator('.badge').textContent(), 'detected');
    assert.deepEqual(await img.locator('td.sec-rules .label').allTextContents(), ['10200', '10201', '10900']);
    assert.equal(await rows().first().locator('td.sec-uri').textContent(), attacks[4]?.path);
    assert.equal(
      await rows()
        .nth(attacks.length - 1)
        .locator('td.sec-uri')
        .textContent(),
      '/search?q=<script>alert(1)</script>',
    );
    // Nothing the attacker sent became an element.
    assert.equal(await page.locator('main img, main script').count(), 0);
    await shot(page, 'events');
  });

  it('filters by action and by rule id, in the URL and on the server', async () => {
    await page.selectOption('#sec-action', 'blocked');
    await page.waitForURL(/\/security\?range=1h&action=blocked$/);
    await waitForRows(3);
    assert.deepEqual(await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))), [
      'blocked',
      'blocked',
      'blocked',
    ]);
    await page.fill('#sec-rule', '10100');
    await page.press('#sec-rule', 'Enter');
    await page.waitForURL(/\/security\?range=1h&action=blocked&rule=10100$/);
    await waitForRows(1);
    assert.equal(await rows().first().locator('td.sec-uri').textContent(), attacks[1]?.path);
    assert.match((await page.locator('#security-events-note').textContent()) ?? '', /^1 matching event\.$/);

    // A rule id the server refuses: its message, and no table.
    await page.fill('#sec-rule', 'abc');
    await page.click('.sec-filters button[type=submit]');
    await page.locator('#security-events-note [role=alert]').getByText('invalid rule_id "abc"').waitFor();
    assert.equal(await page.locator('#security-events').isHidden(), true);
    assert.match(errors.splice(0).join('\n'), /status of 400/);

    // A shared link opens the same view.
    await page.goto(`${t.base}/security?action=detected&rule=10100`);
    await waitForRows(1);
    assert.equal(await page.inputValue('#sec-rule'), '10100');
    assert.equal(await page.inputValue('#sec-action'), 'detected');
    assert.equal(await rows().first().locator('td.sec-uri').textContent(), attacks[4]?.path);

    // A top site in the summary is a link to its events (the other filters kept).
    await page.click('#security-top-sites a:text-is("app.test")');
    await page.waitForURL(/\/security\?action=detected&site=app\.test&rule=10100$/);
    await page.locator('#security-events-note').getByText('No events match these filters').waitFor();

    await page.click('#sec-clear');
    await page.waitForURL(/\/security$/);
    await waitForRows(5);
  });

  it('expands a row into its matches and request id, by mouse and by keyboard, and keeps it across a refresh', async () => {
    const mine = (await listed()).find((e) => e.event.uri === imgUri);
    assert.ok(mine);
    const row = page.locator(`#security-events tr.sec-event[data-request-id="${mine.requestId}"]`);
    await row.locator('td.sec-uri').click();
    const toggle = row.locator('button.sec-toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const detail = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
    await detail.waitFor();
    assert.equal(await detail.locator('.sec-request-id').textContent(), mine.requestId);
    assert.equal(await detail.locator('.sec-full-uri').textContent(), imgUri);
    const matches = detail.locator('table.sec-matches tbody tr');
    assert.deepEqual(
      await matches.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent))),
      [
        [
          '10200',
          '2',
          'CRITICAL',
          'XSS (libinjection)',
          'ARGS:a: <img src=x onerror=alert(1)>',
          'vigil-baselineattack-xss',
        ],
        ['10201', '2', 'CRITICAL', 'XSS signature', 'ARGS:a: <img src=x onerror=alert(1)>', 'vigil-baselineattack-xss'],
        [
          '10900',
          '2',
          'CRITICAL',
          'Inbound anomaly score exceeded (total score: 10)',
          '',
          'vigil-baselineanomaly-evaluation',
        ],
      ],
    );
    assert.equal(await page.locator('main img, main script').count(), 0);

    // By keyboard: the toggle is a button; Enter closes and opens it.
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await detail.isHidden(), true);
    await page.keyboard.press('Enter');
    assert.equal(await detail.isVisible(), true);

    // A new attack shows up with the next refresh (every 10 s); the expanded row stays expanded and focused.
    assert.equal((await get(port, '/new?cmd=;cat%20/etc/passwd', { servername: 'app.test' })).status, 403);
    await waitForRows(6, 15_000);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await detail.isVisible(), true);
    assert.equal(await toggle.evaluate((b) => b === b.ownerDocument.activeElement), true);
    await shot(page, 'expanded');
    assert.deepEqual(browser.problems, []);
    assert.deepEqual(errors, []);
  });

  it('fits a phone (390 px): the table scrolls in its own box', async () => {
    // The gateway's own refusal of a request for no configured site: an event without a site.
    assert.equal((await get(port, '/', { servername: 'nobody.test' })).status, 421);
    for (let i = 0; i < 100 && (await listed()).length < 7; i++) await new Promise((r) => setTimeout(r, 20));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${t.base}/security`);
    await waitForRows(7);
    assert.equal(await rows().first().locator('td').nth(2).textContent(), '—');
    assert.match((await page.locator('#security-top-sites').textContent()) ?? '', /\(no site\) · 1/);
    await rows().first().locator('button.sec-toggle').click();
    const width = await page.locator('html').evaluate((e) => e.ownerDocument.scrollingElement?.scrollWidth ?? 1e9);
    await shot(page, 'phone');
    assert.ok(width <= 390, `/security is ${width} px wide`);
    assert.deepEqual(browser.problems, []);
    assert.deepEqual(errors, []);
  });
});

describe('the Security page without a gateway', { skip }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let errors: string[];

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    t = await startApp({ config: 'collector:\n  enabled: false\n' });
    ({ browser, page, errors } = await signIn(t));
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('says that no gateway is configured and how to configure one', async () => {
    await page.goto(`${t.base}/security`);
    const empty = page.locator('#security-summary .sec-empty');
    await empty.waitFor();
    errors.length = 0;
    await page.reload();
    await empty.waitFor();
    const text = (await empty.textContent()) ?? '';
    assert.match(text, /No gateway is configured/);
    assert.match(text, /gateway\.sites in vigil\.yml/);
    assert.match((await page.locator('#security-summary pre').textContent()) ?? '', /upstreams:/);
    assert.equal(await page.locator('#security-events-card').isHidden(), true);
    await shot(page, 'no-gateway');
    assert.deepEqual(browser.problems, []);
    assert.deepEqual(errors, []);
  });
});
