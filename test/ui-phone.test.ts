// Every page of the UI at a phone's width (390 × 844): nothing wider than the screen, and the navigation
// reachable with the keyboard (Tab moves focus to each link, with a visible focus ring).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';

describe('the UI on a phone', { skip: browserMissing }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    mkdirSync('test-output', { recursive: true });
    t = await startApp({ config: 'collector:\n  docker:\n    enabled: false\n' });
    browser = await launchBrowser();
    page = browser.page;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${t.base}/`);
    await page.fill('#username', 'admin');
    await page.fill('#password', adminPassword);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.main a[aria-current="page"]', { state: 'attached' }).catch(async (err) => {
      await page.screenshot({ path: join('test-output', 'ui-phone-login.png'), fullPage: true });
      throw err;
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  const width = () => page.locator('html').evaluate((e) => e.ownerDocument.scrollingElement?.scrollWidth ?? 1e9);

  for (const path of [
    '/',
    '/graph?g0.expr=up&g0.tab=graph',
    '/alerts',
    '/security',
    '/targets',
    '/status',
    '/containers/',
  ]) {
    it(`fits ${path} in 390 px`, async () => {
      await page.goto(`${t.base}${path}`);
      // The container page has no entry of its own in the navigation: wait for the shell, then for the page.
      await page.waitForSelector('nav.main', { state: 'attached' });
      await page.waitForTimeout(1500);
      const name = path === '/' ? 'overview' : (path.split(/[/?]/)[1] ?? 'page');
      await page.screenshot({ path: join('test-output', `ui-phone-${name}.png`), fullPage: true });
      assert.ok((await width()) <= 390, `${path} is ${await width()} px wide`);
      assert.deepEqual(browser.problems, []);
    });
  }

  it('reaches every navigation link with Tab, each with a visible focus ring', async () => {
    await page.goto(`${t.base}/`);
    await page.waitForSelector('nav.main a[aria-current="page"]', { state: 'attached' });
    const links = await page.locator('nav.main a').count();
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < links; i++) {
      await page.keyboard.press('Tab');
      // Runs in the page (a string, so this file needs no DOM types).
      const focused = await page.evaluate<{ text: string; ring: boolean } | null>(`(() => {
        const el = document.activeElement;
        if (el === null || el.closest('nav.main') === null || el.tagName !== 'A') return null;
        const s = getComputedStyle(el);
        const ring = (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
        return { text: el.textContent ?? '', ring };
      })()`);
      if (focused === null) continue;
      assert.ok(focused.ring, `${focused.text} has no visible focus ring`);
      seen.add(focused.text);
    }
    assert.equal(seen.size, links, `reached ${[...seen].join(', ')}`);
  });
});
