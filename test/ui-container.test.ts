// The container page in Debian's headless Chromium against a real App whose collector reads this machine's
// cgroups (the root `/` always exists) and stores every second: from the Overview into the host's page, the live
// charts advancing every second, then the 1h history from the TSDB. Screenshots under test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
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

describe('web UI: the container page', { skip, timeout: 60_000 }, () => {
  let t: TestApp;
  let browser: TestBrowser | undefined;
  let page: Page;
  let problems: string[] = [];
  const screenshot = (name: string) =>
    page.screenshot({ path: join('test-output', `ui-container-${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    t = await startApp({ config: 'collector:\n  store_interval: 1s\n' });
    browser = await launchBrowser();
    page = browser.page;
    problems = browser.problems;
    await page.goto(`${t.base}/`);
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.main a[aria-current="page"]');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens the host page from the Overview and advances the live CPU chart every second', async () => {
    // Each container row links to its page.
    await page.locator('#containers tbody tr').first().waitFor();
    const rows = await page.locator('#containers tbody tr').count();
    assert.equal(await page.locator('#containers tbody a[href^="/containers/"]').count(), rows);
    await page.click('#host-link');
    await page.waitForURL(/\/containers\/$/);
    assert.equal(await page.locator('h1').textContent(), 'Host');
    const cpu = page.locator('[data-chart="cpu"]');
    await cpu.locator('canvas').waitFor();
    for (const key of ['memory', 'network', 'blkio'])
      await page.locator(`[data-chart="${key}"] canvas`).waitFor({ state: 'attached' });
    // `data-last` is the Unix ms of the chart's newest point (the page's CSP forbids evaluating strings: poll).
    const last = async () => Number(await cpu.getAttribute('data-last'));
    const until = async (ok: (v: number) => boolean, ms: number) => {
      const deadline = Date.now() + ms;
      for (let v = await last(); ; v = await last()) {
        if (ok(v)) return v;
        if (Date.now() > deadline) throw new Error(`the CPU chart's last point stayed at ${v}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const first = await until((v) => v > 0, 5000);
    const next = await until((v) => v > first, 3000);
    assert.ok(next - first >= 500, `advanced by ${next - first} ms`);
    assert.ok(Number(await cpu.getAttribute('data-points')) >= 1);
    assert.match((await page.locator('dl.kv').textContent()) ?? '', /Processes \/ threads/);
    await screenshot('live');
  });

  it('switches to the last hour from the TSDB', async () => {
    // The collector stores every second: wait until the TSDB holds the root's CPU rate.
    const auth = { Authorization: basic('admin', adminPassword) };
    const expr = 'sum(rate(container_cpu_usage_seconds_total{id="/",job="collector"}[1m]))';
    for (let i = 0; i < 50; i++) {
      const r = await request(`${t.base}/api/v1/query?query=${encodeURIComponent(expr)}`, { headers: auth });
      if (JSON.parse(r.text).data?.result?.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await page.click('[data-range="1h"]');
    await page.locator('p[aria-live]', { hasText: /History: last 1h/ }).waitFor();
    assert.equal(await page.locator('[data-range="1h"]').getAttribute('aria-pressed'), 'true');
    assert.ok(Number(await page.locator('[data-chart="memory"]').getAttribute('data-points')) > 0);
    await screenshot('1h');
    await page.click('[data-range="live"]');
    await page.locator('[data-chart="cpu"] canvas').waitFor();
    assert.deepEqual(problems, []);
  });

  it('says so for a container the collector does not know', async () => {
    await page.goto(`${t.base}/containers/docker/no-such-container`);
    await page.locator('p[aria-live]', { hasText: 'No live data for /docker/no-such-container' }).waitFor();
    assert.deepEqual(problems, []);
  });
});
