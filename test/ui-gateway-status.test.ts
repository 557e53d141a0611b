// The Status page shows the gateway's sites and says where full protection needs the Core Rule Set.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { browserMissing, launchBrowser, type TestBrowser } from './support/browser.ts';
import { basic, request } from './support/http.ts';

describe('the gateway on the Status page', { skip: browserMissing }, () => {
  let t: TestApp;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
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
        "      upstreams: [{ url: 'http://127.0.0.1:9' }]",
      ].join('\n'),
    });
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
  });

  it('lists the site, and warns that the baseline alone is not full protection', async () => {
    const api = await request(`${t.base}/api/v1/status/gateway`, {
      headers: { Authorization: basic('admin', adminPassword) },
    });
    assert.deepEqual(api.json<{ data: unknown }>().data, {
      sites: [{ hosts: ['app.test'], waf: { enabled: true, mode: 'blocking', paranoiaLevel: 1, ruleSet: 'baseline' } }],
    });
    await page.click('nav.main a[href="/status"]');
    const note = page.locator('#gateway [role=note]');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /Full protection needs the Core Rule Set/);
    assert.match((await page.locator('#gateway li').first().textContent()) ?? '', /app\.test/);
    assert.deepEqual(browser.problems, []);
  });
});
