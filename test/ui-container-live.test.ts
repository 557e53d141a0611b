// The container page's live detail in Debian's headless Chromium, against a real App whose collector reads this
// machine's cgroups, with a real test cgroup holding a busy process: per-core CPU, network per interface, the
// process table (and its API), the host's page, keyboard focus, and phone width. Screenshots under test-output/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { realCgroupsUnavailable, TestCgroup } from '../src/collector/testing.ts';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';
import { basic, request } from './support/http.ts';

const noCgroups = realCgroupsUnavailable();
const skip =
  noCgroups ??
  (browserMissing || (existsSync('dist/ui/index.html') ? false : 'dist/ui is not built: run npm run build'));
const auth = { Authorization: basic('admin', adminPassword) };

interface Point {
  t: number;
  cpuPerCore: (number | null)[] | null;
  network: { name: string }[];
}

async function getJson<T>(url: string): Promise<T> {
  const r = await request(url, { headers: auth });
  assert.equal(r.status, 200, `${url}: ${r.text}`);
  return (JSON.parse(r.text) as { data: T }).data;
}

/** Polls `read` every 100 ms until `ok` holds of its value; fails after `ms` naming `what`. */
async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let v = await read(); ; v = await read()) {
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The chart's series labels and its newest time (Unix ms), from the attributes the page records. */
async function chartState(chart: Locator): Promise<{ series: string[]; last: number }> {
  const series = (await chart.getAttribute('data-series')) ?? '';
  return { series: series === '' ? [] : series.split('|'), last: Number(await chart.getAttribute('data-last')) };
}

describe('the live container page', { skip, timeout: 90_000 }, () => {
  let t: TestApp;
  let cg: TestCgroup;
  let busyPid: number;
  let browser: TestBrowser | undefined;
  let page: Page;
  const screenshot = (name: string) =>
    page.screenshot({ path: join('test-output', `ui-container-live-${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    cg = TestCgroup.create();
    busyPid = cg.spawn('yes', ['vigil-busy']).pid as number;
    t = await startApp({ config: 'collector:\n  store_interval: 1s\n' });
    // Discovery rescans every ten passes: wait until the collector has two passes of the test cgroup.
    await until(
      'the test cgroup in the live API',
      async () => (await request(`${t.base}/api/v1/live/containers${cg.id}`, { headers: auth })).status,
      (s) => s === 200,
      20_000,
    );
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(`${t.base}/`);
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.main a[aria-current="page"]');
  });

  after(async () => {
    await browser?.close();
    await t?.close();
    await cg?.destroy();
  });

  it('lists the busy process with its command and CPU from /api/v1/live/processes', async () => {
    const list = await getJson<{ total: number; processes: { pid: number; command: string; cpuPercent: number }[] }>(
      `${t.base}/api/v1/live/processes${cg.id}`,
    );
    assert.equal(list.total, 1);
    const row = list.processes[0];
    assert.equal(row?.pid, busyPid);
    assert.equal(row?.command, 'yes vigil-busy');
    assert.ok((row?.cpuPercent ?? 0) > 5, `CPU ${row?.cpuPercent}`);
    const host = await getJson<{ processes: { pid: number }[] }>(`${t.base}/api/v1/live/processes/`);
    assert.ok(
      host.processes.some((p) => p.pid === busyPid),
      'the host lists every process',
    );
    assert.equal((await request(`${t.base}/api/v1/live/processes/no/such/cgroup`, { headers: auth })).status, 404);
  });

  it('draws one CPU series per core that advances, and lists the busy process in the table', async () => {
    await page.goto(`${t.base}/containers${cg.id}`);
    const api = await getJson<{ points: Point[] }>(`${t.base}/api/v1/live/containers${cg.id}`);
    const cores = api.points.at(-1)?.cpuPerCore?.length ?? 0;
    const chart = page.locator('[data-chart="cores"]');
    if (cores === 0) {
      // cgroup v2 keeps no per-CPU time for a container: the chart is left out.
      await page.locator('[data-chart="cpu"] canvas').waitFor();
      assert.equal(await chart.count(), 0);
    } else {
      await chart.locator('canvas').waitFor();
      const first = await until(
        'per-core series',
        () => chartState(chart),
        (s) => s.series.length === cores,
      );
      assert.deepEqual(
        first.series,
        Array.from({ length: cores }, (_, i) => `cpu${String(i).padStart(2, '0')}`),
      );
      await until(
        'the per-core chart advancing',
        () => chartState(chart),
        (s) => s.last > first.last,
      );
    }
    await page.locator('[data-chart="tasks"] canvas').waitFor();
    const row = page.locator(`#processes tbody tr[data-pid="${busyPid}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /yes vigil-busy/);
    // Sorting by PID, then descending.
    await page.click('[data-psort="pid"]');
    assert.equal(await page.locator('#processes th[aria-sort="descending"]').textContent(), 'PID ▾');
    await screenshot('cgroup');
  });

  it("shows the host's per-core CPU, network per interface and processes on /containers/", async () => {
    await page.goto(`${t.base}/containers/`);
    assert.equal(await page.locator('h1').textContent(), 'Host');
    const api = await getJson<{ points: Point[] }>(`${t.base}/api/v1/live/containers/`);
    const last = api.points.at(-1);
    const cores = last?.cpuPerCore?.length ?? 0;
    assert.ok(cores >= 1, 'the host has per-core CPU (cgroup v1 cpuacct or /proc/stat)');
    const chart = page.locator('[data-chart="cores"]');
    await chart.locator('canvas').waitFor();
    const first = await until(
      'host per-core series',
      () => chartState(chart),
      (s) => s.series.length === cores,
    );
    await until(
      'the host per-core chart advancing',
      () => chartState(chart),
      (s) => s.last > first.last,
    );
    const ifaces = last?.network.map((n) => n.name) ?? [];
    if (ifaces.length > 0) {
      const net = page.locator('[data-chart="network"]');
      await net.locator('canvas').waitFor();
      const state = await until(
        'network series',
        () => chartState(net),
        (s) => s.series.length > 0,
      );
      assert.deepEqual(
        state.series,
        ifaces.flatMap((n) => [`${n} rx`, `${n} tx`]),
      );
    }
    await page.locator(`#processes tbody tr[data-pid="${busyPid}"]`).waitFor();
    assert.match((await page.locator('dl.kv').textContent()) ?? '', /CPUs\d+/);
    await screenshot('host');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot('host-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('reaches every control by Tab with a visible focus ring', async () => {
    await page.goto(`${t.base}/containers/`);
    await page.locator('[data-chart="cores"] .u-legend th[role="button"]').first().waitFor();
    await page.locator('#processes [data-psort]').first().waitFor();
    const seen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const el = page.locator('*:focus');
      if ((await el.count()) === 0) continue;
      // Typed through playwright's declarations: this project's tests have no DOM library.
      const focused = await el.evaluate((e) => {
        const style = e.ownerDocument.defaultView?.getComputedStyle(e);
        const chart = e.closest('.u-legend') ? e.closest('[data-chart]')?.getAttribute('data-chart') : null;
        const data = e.dataset ?? {};
        const key = data.range
          ? `range:${data.range}`
          : data.psort
            ? `sort:${data.psort}`
            : chart
              ? `legend:${chart}`
              : e.tagName;
        return { key, outline: style?.outlineStyle ?? 'none', width: style?.outlineWidth ?? '0px' };
      });
      if (focused === null) continue;
      if (focused.key.includes(':')) {
        assert.notEqual(focused.outline, 'none', `${focused.key} has no focus ring`);
        assert.notEqual(focused.width, '0px', `${focused.key} has no focus ring`);
      }
      seen.add(focused.key);
    }
    for (const key of [
      'range:live',
      'range:1h',
      'range:7d',
      'legend:cores',
      'legend:memory',
      'sort:cpu',
      'sort:command',
    ])
      assert.ok(seen.has(key), `Tab never reached ${key}: ${[...seen].join(' ')}`);
    // Enter on a legend entry toggles its series.
    const entry = page.locator('[data-chart="memory"] .u-legend th[role="button"]').first();
    await entry.focus();
    await page.keyboard.press('Enter');
    assert.equal(await entry.getAttribute('aria-pressed'), 'false');
    await page.keyboard.press('Enter');
    assert.equal(await entry.getAttribute('aria-pressed'), 'true');
  });

  it('fits a 390 px wide phone screen on the Overview and the container pages', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const width = () => page.locator('html').evaluate((e) => e.ownerDocument.scrollingElement?.scrollWidth ?? 1e9);
      await page.goto(`${t.base}/`);
      await page.locator('#containers tbody tr').first().waitFor();
      assert.ok((await width()) <= 390, `Overview is ${await width()} px wide`);
      await screenshot('overview-phone');
      for (const [name, path] of [
        ['host-phone', '/containers/'],
        ['cgroup-phone', `/containers${cg.id}`],
      ] as const) {
        await page.goto(`${t.base}${path}`);
        await page.locator('[data-chart="cpu"] canvas').waitFor();
        await page.locator('#processes tbody tr').first().waitFor();
        assert.ok((await width()) <= 390, `${path} is ${await width()} px wide`);
        await screenshot(name);
      }
      await page.click('[data-range="1h"]');
      await page.locator('p[aria-live]', { hasText: /History: last 1h/ }).waitFor();
      assert.ok((await width()) <= 390, `the 1h history is ${await width()} px wide`);
      await screenshot('cgroup-phone-1h');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    assert.deepEqual(browser?.problems, []);
  });
});
