// `vigil start` with a gateway section: the gateway runs inside the app and its metrics are on vigil's /metrics.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminPassword, startApp, type TestApp } from './support/app.ts';
import { type Backend, get, startBackend } from './support/gateway.ts';
import { basic, request } from './support/http.ts';

describe('gateway inside vigil start', () => {
  let backend: Backend;
  let t: TestApp;
  before(async () => {
    backend = await startBackend();
    t = await startApp({
      config: [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    });
  });
  after(async () => {
    await t.close();
    await backend.close();
  });

  it('proxies and exposes the gateway metrics on vigil /metrics', async () => {
    const gateway = t.app.gateway;
    assert.ok(gateway);
    const r = await get(gateway.addresses().https.port, '/inside');
    assert.equal(r.status, 200);
    const m = await request(`${t.base}/metrics`, { headers: { authorization: basic('admin', adminPassword) } });
    assert.equal(m.status, 200);
    assert.match(m.text, /vigil_gateway_requests_total\{site="app.test",code="200"\} 1/);
    assert.match(m.text, /vigil_gateway_certificate_expiry_timestamp_seconds\{site="app.test",self_signed="true"\}/);
  });

  it('runs the WAF by default (the baseline without crs_dir): blocks, logs, counts and keeps the event', async () => {
    const port = t.app.gateway?.addresses().https.port as number;
    assert.ok(t.logs.some((l) => l.includes('full protection needs CRS: set gateway.sites[0].waf.crs_dir')));
    const attack = `/q?id=${encodeURIComponent("1' OR '1'='1")}`;
    assert.equal((await get(port, attack)).status, 403);
    await new Promise((r) => setTimeout(r, 20));
    const event = t.app.securityEvents.events().find((e) => e.uri === attack);
    assert.equal(event?.action, 'blocked');
    const lines = readFileSync(join(t.dir, 'data', 'gateway-audit.log'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(JSON.parse(lines.at(-1) as string).request_id, event?.requestId);
    const m = await request(`${t.base}/metrics`, { headers: { authorization: basic('admin', adminPassword) } });
    assert.match(m.text, /vigil_waf_requests_total\{site="app.test",action="blocked"\} 1/);
    // The event is in the store too, and the API lists it.
    const listed = await request(`${t.base}/api/v1/security/events`, {
      headers: { authorization: basic('admin', adminPassword) },
    });
    assert.equal(listed.status, 200);
    const stored = listed.json<{
      data: { requestId: string; action: string; clientIp: string; event: { uri: string } }[];
    }>().data;
    const mine = stored.find((e) => e.requestId === event?.requestId);
    assert.equal(mine?.action, 'blocked');
    assert.equal(mine?.event.uri, attack);
    assert.equal(
      (
        await request(`${t.base}/api/v1/security/events?limit=0`, {
          headers: { authorization: basic('admin', adminPassword) },
        })
      ).status,
      400,
    );
  });

  it('refuses a reload whose CRS directory cannot be loaded and keeps the running config', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = t.configFile as string;
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, `${before}\n      waf: { crs_dir: ${join(t.dir, 'no-such-crs')} }\n`);
    const refused = await t.app.reload();
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error, /gateway\.sites\[0\]\.waf\.crs_dir/);
    const port = t.app.gateway?.addresses().https.port as number;
    assert.equal((await get(port, '/still')).status, 200);
    writeFileSync(file, before);
  });

  it('applies a reloaded gateway section and refuses a changed listen address', async () => {
    const { writeFileSync } = await import('node:fs');
    const file = t.configFile as string;
    const base = ['gateway:', '  listen: 127.0.0.1:0', '  redirect_listen: none', '  sites:'];
    writeFileSync(
      file,
      [...base, '    - hosts: [other.test]', `      upstreams: [{ url: '${backend.url}' }]`].join('\n'),
    );
    assert.deepEqual(await t.app.reload(), { ok: true });
    const port = t.app.gateway?.addresses().https.port as number;
    assert.equal((await get(port, '/', { servername: 'other.test' })).status, 200);
    assert.equal((await get(port, '/', { servername: 'app.test' })).status, 421);
    writeFileSync(
      file,
      [
        ...base.map((l) => l.replace('127.0.0.1:0', '127.0.0.1:1')),
        '    - hosts: [x.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    );
    const refused = await t.app.reload();
    assert.equal(refused.ok, false);
    assert.equal((await get(port, '/', { servername: 'other.test' })).status, 200);
  });
});
