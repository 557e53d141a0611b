// The web UI in Debian's headless Chromium (playwright-core, no browser download) against a real App: logging in
// through the form, the navigation, the Graph page (chart, table, a parse error with its position), Targets and
// Status. Each test saves a screenshot under test-output/ for a person to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Labels } from '../src/model/index.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';
import { basic, request } from './support/http.ts';

const built = existsSync('dist/ui/index.html');
const skip = browserMissing ? browserMissing : !built ? 'dist/ui is not built: run npm run build' : false;

describe('web UI serving', { skip: built ? false : 'dist/ui is not built: run npm run build' }, () => {
  let t: TestApp;
  const auth = { Authorization: basic('admin', adminPassword) };
  before(async () => {
    t = await startApp({ config: 'collector:\n  enabled: false\n' });
  });
  after(() => t.close());

  it('serves index.html at each page path, revalidated, naming the user before the script runs', async () => {
    for (const path of [
      '/',
      '/graph',
      '/alerts',
      '/security',
      '/targets',
      '/status',
      '/containers/',
      '/containers/docker/abc',
    ]) {
      const r = await request(`${t.base}${path}`, { headers: auth });
      assert.equal(r.status, 200, path);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
      assert.match(r.text, /<script type="module" src="\/assets\/main-[A-Z0-9]+\.js">/);
      assert.match(r.text, /Logged in as <strong>admin<\/strong>/);
    }
  });

  it('sends a signed-out browser to the login page and refuses scripts', async () => {
    const page = await request(`${t.base}/graph?g0.expr=up`, { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, `/login?next=${encodeURIComponent('/graph?g0.expr=up')}`);
    const index = await request(`${t.base}/`, { headers: auth });
    const script = /src="(\/assets\/[^"]+)"/.exec(index.text)?.[1] as string;
    assert.equal((await request(`${t.base}${script}`, { headers: { 'Sec-Fetch-Mode': 'no-cors' } })).status, 401);
  });

  it('serves hashed assets with their type and a long cache, and nothing outside dist/ui/assets', async () => {
    const index = await request(`${t.base}/`, { headers: auth });
    const script = /src="(\/assets\/[^"]+)"/.exec(index.text)?.[1] as string;
    const css = /href="(\/assets\/[^"]+)"/.exec(index.text)?.[1] as string;
    const js = await request(`${t.base}${script}`, { headers: auth });
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'private, max-age=31536000, immutable');
    assert.equal(
      (await request(`${t.base}${css}`, { headers: auth })).headers['content-type'],
      'text/css; charset=utf-8',
    );
    for (const path of [
      '/assets/..%2Findex.html',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/%2E%2E%2Fpackage.json',
      '/assets/..%5C..%5Cpackage.json',
      '/assets/.hidden.js',
      '/assets/nope-ABC.js',
      '/assets/main.ts',
    ]) {
      const r = await request(`${t.base}${path}`, { headers: auth });
      assert.notEqual(r.status, 200, path);
      assert.doesNotMatch(r.text, /"name": "vigil"|<!doctype/i, path);
    }
  });
});

describe('web UI', { skip, timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: TestBrowser | undefined;
  let page: Page;
  const shots = 'test-output';
  /** Uncaught page errors and CSP refusals seen during the run. */
  let problems: string[] = [];

  const screenshot = (name: string) => page.screenshot({ path: join(shots, `ui-${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(shots, { recursive: true });
    // A target nothing listens on, so the Targets page has a down target to show.
    t = await startApp({
      config:
        'scrape_configs:\n  - job_name: dead\n    scrape_interval: 1s\n    static_configs:\n      - targets: ["127.0.0.1:1"]\n',
    });
    const appender = t.app.tsdb.appender();
    const now = Date.now();
    for (let i = 120; i >= 1; i--) {
      for (const [k, instance] of ['a', 'b'].entries()) {
        appender.append(
          Labels.fromObject({ __name__: 'ui_demo', instance }),
          now - i * 15_000,
          (k + 1) * 10 + Math.sin(i / 10),
        );
      }
    }
    // 50 series × 1,000 points, for the render figure.
    for (let k = 0; k < 50; k++) {
      const labels = Labels.fromObject({ __name__: 'ui_bench', series: String(k) });
      for (let i = 1000; i >= 1; i--) appender.append(labels, now - i * 3600, k + Math.sin(i / 50));
    }
    await appender.commit();
    browser = await launchBrowser();
    page = browser.page;
    problems = browser.problems;
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends a signed-out browser to the login form and back to the page after logging in', async () => {
    await page.goto(`${t.base}/graph`);
    assert.match(new URL(page.url()).pathname, /^\/login$/);
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.main a[aria-current="page"]');
    assert.equal(new URL(page.url()).pathname, '/graph');
    const links = await page.locator('nav.main a').allTextContents();
    assert.deepEqual(links, ['Overview', 'Graph', 'Alerts', 'Security', 'Targets', 'Status']);
    assert.equal(await page.locator('nav.main a[aria-current="page"]').textContent(), 'Graph');
    await screenshot('login');
  });

  it('runs a range query and draws one series per result in the chart, then the table', async () => {
    await page.click('.cm-content');
    await page.keyboard.type('ui_demo');
    await page.click('button.primary');
    await page.waitForSelector('.chart canvas');
    const legend = await page.locator('.u-legend .u-series .u-label').allTextContents();
    assert.deepEqual(legend.slice(1).sort(), ['ui_demo{instance="a"}', 'ui_demo{instance="b"}']);
    assert.match(page.url(), /g0\.expr=ui_demo/);
    await screenshot('graph-chart');

    await page.click('[data-tab="table"]');
    await page.waitForSelector('table.result tbody tr');
    const rows = await page.locator('table.result tbody tr td:first-child').allTextContents();
    assert.deepEqual(rows.sort(), ['ui_demo{instance="a"}', 'ui_demo{instance="b"}']);
    assert.match(page.url(), /g0\.tab=table/);
    await screenshot('graph-table');
  });

  it('shows a parse error with its position', async () => {
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    // Brackets close themselves in the editor: a dangling operator makes the parse error.
    await page.keyboard.type('ui_demo + ');
    await page.keyboard.press('Escape');
    await page.click('button.primary');
    const error = page.locator('.panel .error[role=alert]');
    await error.filter({ hasText: /parse error/ }).waitFor();
    assert.match((await error.textContent()) ?? '', /^1:\d+: parse error: /);
    await page.locator('.cm-lintRange-error').first().waitFor();
    await screenshot('graph-error');
  });

  it('completes metric names from the API, toggles and hovers series, stacks, and adds panels', async () => {
    await page.goto(`${t.base}/graph?g0.expr=ui_demo&g0.tab=graph&g0.range=1h`);
    await page.waitForSelector('.chart canvas');
    // The legend: a click hides a series, hovering the plot shows values.
    const second = page.locator('.u-legend .u-series').nth(2);
    await second.click();
    assert.match((await second.getAttribute('class')) ?? '', /u-off/);
    await second.click();
    const over = page.locator('.u-over');
    const box = await over.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const value = page.locator('.u-legend .u-series').nth(1).locator('.u-value');
    assert.match((await value.textContent()) ?? '', /^\d/);
    await page.check('text=Stacked');
    await page.waitForURL(/g0\.stacked=1/);
    await page.waitForSelector('.chart canvas');
    // Stacked: b is drawn on top of a (about 30) but its legend shows its own value (about 20).
    const stackedBox = await page.locator('.u-over').boundingBox();
    assert.ok(stackedBox);
    await page.mouse.move(stackedBox.x + stackedBox.width / 2, stackedBox.y + stackedBox.height / 2);
    const own = Number(await page.locator('.u-legend .u-series').nth(2).locator('.u-value').textContent());
    assert.ok(own > 18 && own < 22, `legend shows ${own}`);
    // Completion: metric names come from /api/v1/label/__name__/values.
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('ui_de');
    await page.locator('.cm-tooltip-autocomplete', { hasText: 'ui_demo' }).waitFor();
    await page.keyboard.press('Escape');
    await page.click('text=Add panel');
    assert.equal(await page.locator('.panel').count(), 2);
    await page.locator('.panel').nth(1).locator('.cm-content').click();
    await page.keyboard.type('up');
    await page.keyboard.press('Escape');
    await page.locator('.panel').nth(1).locator('button.primary').click();
    await page.waitForURL(/g1\.expr=up/);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot('graph-panels-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('keeps the panels in the URL', async () => {
    await page.goto(`${t.base}/graph?g0.expr=ui_demo&g0.tab=table&g0.range=1h`);
    await page.waitForSelector('table.result tbody tr');
    assert.equal(await page.locator('table.result tbody tr').count(), 2);
  });

  it('draws 50 series × 1,000 points', async (ctx) => {
    await page.goto(`${t.base}/graph?g0.expr=ui_bench&g0.tab=graph&g0.range=1h&g0.step=3600ms`);
    const stats = page.locator('.panel .muted', { hasText: /draw \d+ ms/ });
    await stats.waitFor();
    const text = (await stats.textContent()) ?? '';
    assert.match(text, /^50 series, step 3.6s/);
    assert.equal(await page.locator('.u-legend .u-series').count(), 51);
    ctx.diagnostic(`render figure: ${text}`);
    await screenshot('graph-50-series');
  });

  it('shows the host and the containers, updated every second from the live stream', async () => {
    await page.click('nav.main a[href="/"]');
    const status = page.locator('p[aria-live]', { hasText: /updated/ });
    await status.waitFor();
    const first = await status.textContent();
    // The stream sends the containers every second: the time on the status line moves.
    await page
      .locator('p[aria-live]')
      .filter({ hasNotText: first ?? '' })
      .waitFor({ timeout: 5000 });
    assert.ok((await page.locator('#containers tbody tr').count()) >= 1);
    // Two updates make a line in the sparklines.
    await page.locator('#containers svg.spark polyline').first().waitFor({ state: 'attached' });
    await page.click('[data-sort="name"]');
    assert.equal(await page.locator('th[aria-sort="ascending"]').textContent(), 'Name ▴');
    await page.fill('input[type=search]', 'no-such-container-anywhere');
    assert.equal(await page.locator('#containers tbody tr').count(), 0);
    await page.fill('input[type=search]', '');
    await screenshot('overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot('overview-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lists the vigil job on the Targets page', async () => {
    await page.click('nav.main a[href="/targets"]');
    const job = page.locator('section[data-job="vigil"]');
    await job.waitFor();
    assert.match((await job.textContent()) ?? '', /\/metrics/);
    await screenshot('targets');
  });

  it('shows the down target with its error', async () => {
    const dead = page.locator('section[data-job="dead"]');
    for (let i = 0; i < 20; i++) {
      await page.goto(`${t.base}/targets`);
      await dead.waitFor();
      if (((await dead.textContent()) ?? '').includes('DOWN')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const text = (await dead.textContent()) ?? '';
    assert.match(text, /DOWN/);
    assert.match(text, /127\.0\.0\.1:1/);
    assert.match(text, /ECONNREFUSED|refused/i, text);
    await screenshot('targets-down');
  });

  it('shows build information, flags and TSDB statistics on the Status page', async () => {
    await page.click('nav.main a[href="/status"]');
    await page.locator('#buildinfo dd').first().waitFor();
    await page.locator('#tsdb dd').first().waitFor();
    assert.match((await page.locator('#tsdb').textContent()) ?? '', /Head series/);
    await page.locator('#config pre').waitFor();
    await screenshot('status');
  });

  it('raised no page error and no Content-Security-Policy refusal', () => {
    assert.deepEqual(problems, []);
  });

  it('logs out from the user menu', async () => {
    await page.click('.user > button');
    await page.click('.user-menu button');
    await page.waitForURL(/\/login/);
    await page.goto(`${t.base}/graph`);
    assert.match(new URL(page.url()).pathname, /^\/login$/);
  });
});
