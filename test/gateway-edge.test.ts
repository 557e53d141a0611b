// An edge gateway (`vigil gateway` as a real process, `gateway.events_to`) sending its security events to a
// `vigil start` server: events survive the server being down and the gateway being killed with SIGKILL, and
// arrive once. Also the ingest endpoint's answers to bad batches and to a caller without credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { App } from '../src/app.ts';
import { createLogger } from '../src/log/index.ts';
import { adminPassword } from './support/app.ts';
import { type Backend, get, startBackend } from './support/gateway.ts';
import { basic, request } from './support/http.ts';
import { requireBuild, runVigil, type Vigil } from './support/process.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

interface StoredEvent {
  requestId: string;
  event: { uri: string; action: string; matches: Array<{ id: number }> };
}

describe('an edge gateway sending its security events to vigil', () => {
  let dir: string;
  let backend: Backend;
  let port: number;
  let app: App | undefined;
  let gw: Vigil | undefined;
  const sqli = `/items?id=${encodeURIComponent("1' OR '1'='1")}`;
  const xss = `/search?q=${encodeURIComponent('<script>alert(1)</script>')}`;

  before(async () => {
    requireBuild();
    dir = mkdtempSync(join(tmpdir(), 'vigil-edge-'));
    backend = await startBackend();
    port = await freePort();
    writeFileSync(
      join(dir, 'gateway.yml'),
      [
        'gateway:',
        '  listen: 127.0.0.1:0',
        '  redirect_listen: none',
        '  metrics_listen: none',
        '  events_to:',
        `    url: http://127.0.0.1:${port}`,
        '    batch_interval: 100ms',
        `    basic_auth: { username: admin, password: '${adminPassword}' }`,
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    );
  });
  after(async () => {
    gw?.child.kill('SIGKILL');
    await app?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startGateway = async (): Promise<number> => {
    gw = runVigil(['gateway', '--config', join(dir, 'gateway.yml'), '--data-dir', join(dir, 'gw-data')], { cwd: dir });
    const m = await gw.waitFor(/"msg":"vigil gateway is ready".*"https":(\d+)/, 20_000);
    return Number(m[1]);
  };

  const stored = async (): Promise<StoredEvent[]> => {
    const r = await request(`http://127.0.0.1:${port}/api/v1/security/events?limit=1000`, {
      headers: { Authorization: basic('admin', adminPassword) },
    });
    assert.equal(r.status, 200, r.text);
    return r.json<{ data: StoredEvent[] }>().data;
  };

  it('keeps an event through the server being down and a SIGKILL, and delivers it once', async () => {
    const first = await startGateway();
    assert.equal((await get(first, sqli)).status, 403);
    // The batch leaves memory for the outbox after batch_interval; the server is not up, so it waits there.
    await new Promise((r) => setTimeout(r, 600));
    gw?.child.kill('SIGKILL');
    await gw?.exited;

    const second = await startGateway();
    app = await App.start({
      dataDir: join(dir, 'vigil-data'),
      listen: `127.0.0.1:${port}`,
      logger: createLogger({ level: 'error', write: () => {} }),
      env: { VIGIL_ADMIN_PASSWORD: adminPassword },
      console: () => {},
    });
    assert.equal((await get(second, xss)).status, 403);

    let events: StoredEvent[] = [];
    for (let i = 0; i < 150; i++) {
      events = await stored();
      if (events.some((e) => e.event.uri === sqli) && events.some((e) => e.event.uri === xss)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(events.filter((e) => e.event.uri === sqli).length, 1, 'the event from before the SIGKILL, once');
    assert.equal(events.filter((e) => e.event.uri === xss).length, 1, 'the event from after, once');
    const ev = events.find((e) => e.event.uri === sqli);
    assert.equal(ev?.event.action, 'blocked');
    assert.ok(
      ev?.event.matches.some((m) => m.id === 10900),
      'the baseline anomaly rule',
    );
    const streamed = app?.securityEvents.events().map((e) => e.uri) ?? [];
    assert.deepEqual(
      [sqli, xss].map((u) => streamed.filter((x) => x === u).length),
      [1, 1],
      "each in vigil's event stream once",
    );
  });

  it('stores a batch sent twice once', async () => {
    const before = (await stored()).length;
    const event = {
      timeMs: Date.now(),
      requestId: 'edge-test-twice',
      site: 'app.test',
      clientIp: '192.0.2.7',
      method: 'GET',
      uri: '/twice',
      status: 403,
      action: 'blocked',
      matches: [{ id: 10900, phase: 2, msg: 'm', data: '', severity: 'CRITICAL', tags: ['vigil-baseline'] }],
      anomaly: { inbound: 5, outbound: 0 },
    };
    for (const want of [1, 0]) {
      const r = await request(`http://127.0.0.1:${port}/api/v1/security/events`, {
        method: 'POST',
        headers: { Authorization: basic('admin', adminPassword), 'Content-Type': 'application/json' },
        body: JSON.stringify({ events: [event] }),
      });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json<{ data: unknown }>().data, { received: 1, stored: want });
    }
    assert.equal((await stored()).length, before + 1);
    const ring = app?.securityEvents.events().filter((e) => e.requestId === 'edge-test-twice') ?? [];
    assert.equal(ring.length, 1, "once in vigil's event stream too");
  });

  it('refuses a bad batch naming the field, and a caller without credentials', async () => {
    const post = (body: string, auth = true) =>
      request(`http://127.0.0.1:${port}/api/v1/security/events`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(auth ? { Authorization: basic('admin', adminPassword) } : {}),
        },
        body,
      });
    const bad = await post(JSON.stringify({ events: [{ timeMs: 1, requestId: 'x', matches: 'no' }] }));
    assert.equal(bad.status, 400);
    assert.equal(bad.json<{ error: string }>().error, 'events[0].action: expected "blocked" or "detected"');
    const notJson = await post('{');
    assert.equal(notJson.status, 400);
    assert.match(notJson.text, /not JSON/);
    assert.equal((await post(JSON.stringify({ events: [] }), false)).status, 401);
  });
});
