// Upstream failures and balancing: 502 refused, 504 slow, 503 none healthy, recovery by health checks,
// round-robin and least-connections.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { type Backend, get, metric, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const site = (upstreams: string[], extra: string[] = []) =>
  [
    '  limits: { upstream_connect_timeout: 300ms, upstream_response_timeout: 400ms }',
    '  sites:',
    '    - hosts: [app.test]',
    `      upstreams: [${upstreams.map((u) => `{ url: '${u}' }`).join(', ')}]`,
    ...extra.map((l) => `      ${l}`),
  ].join('\n');

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway upstreams', () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const c of cleanup.reverse()) await c();
  });
  const track = <T extends { close(): Promise<void> }>(x: T): T => {
    cleanup.push(() => x.close());
    return x;
  };

  it('answers 502 when the upstream refuses, then 503 while it is marked down', async () => {
    const port = await deadPort();
    const gw: TestGateway = track(await startGateway(site([`http://127.0.0.1:${port}`])));
    const first = await get(gw.port, '/');
    assert.equal(first.status, 502);
    assert.match(first.text, /502 Bad Gateway/);
    assert.equal((await get(gw.port, '/')).status, 503);
    assert.equal(await metric(gw.registry, 'vigil_gateway_upstream_up'), 0);
  });

  it('answers 504 when the upstream does not answer in time', async () => {
    const slow = track(await startBackend((_req, res) => setTimeout(() => res.end('late'), 2000)));
    const gw = track(await startGateway(site([slow.url])));
    const started = Date.now();
    const r = await get(gw.port, '/');
    assert.equal(r.status, 504);
    assert.ok(Date.now() - started < 1500);
  });

  it('answers 503 with no healthy upstream and recovers when health checks pass again', async () => {
    let healthy = true;
    const b = track(
      await startBackend((req, res) => {
        if (req.url === '/healthz') {
          res.statusCode = healthy ? 200 : 500;
          res.end();
          return;
        }
        res.end('ok');
      }),
    );
    const gw = track(
      await startGateway(
        site([b.url], ['health_check: { path: /healthz, interval: 100ms, timeout: 100ms, unhealthy_threshold: 1 }']),
      ),
    );
    assert.equal((await get(gw.port, '/')).status, 200);
    healthy = false;
    await sleep(350);
    const down = await get(gw.port, '/');
    assert.equal(down.status, 503);
    assert.equal(down.headers['retry-after'], '5');
    healthy = true;
    await sleep(350);
    assert.equal((await get(gw.port, '/')).status, 200);
  });

  it('brings back an upstream that was down when it starts listening again', async () => {
    const port = await deadPort();
    const gw = track(
      await startGateway(
        site([`http://127.0.0.1:${port}`], ['health_check: { path: /, interval: 100ms, timeout: 100ms }']),
      ),
    );
    await sleep(300);
    assert.equal((await get(gw.port, '/')).status, 503);
    const b = track(await startBackend(undefined, port));
    await sleep(300);
    const r = await get(gw.port, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-backend'], String(b.port));
  });

  it('spreads requests round-robin over two upstreams', async () => {
    const a: Backend = track(await startBackend());
    const b: Backend = track(await startBackend());
    const gw = track(await startGateway(site([a.url, b.url])));
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push(String((await get(gw.port, '/')).headers['x-backend']));
    const ports = [String(a.port), String(b.port)];
    assert.deepEqual(seen, [...ports, ...ports, ...ports]);
  });

  it('sends to the upstream with the fewest requests in flight with least_conn', async () => {
    const hold: Array<() => void> = [];
    const a = track(await startBackend((_req, res) => hold.push(() => res.end('a'))));
    const b = track(await startBackend((_req, res) => res.end('b')));
    const gw = track(await startGateway(site([a.url, b.url], ['balance: least_conn'])));
    const pending = get(gw.port, '/');
    while (hold.length === 0) await sleep(10);
    for (let i = 0; i < 3; i++) assert.equal((await get(gw.port, '/')).text, 'b');
    for (const h of hold) h();
    assert.equal((await pending).text, 'a');
  });

  it('verifies https upstream certificates unless told not to', async () => {
    const { createServer } = await import('node:https');
    const { generateSelfSigned } = await import('../src/gateway/index.ts');
    const pair = generateSelfSigned(['127.0.0.1']);
    const tlsBackend = createServer({ cert: pair.cert, key: pair.key }, (_req, res) => res.end('secure'));
    await new Promise<void>((r) => tlsBackend.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise<void>((r) => tlsBackend.close(() => r())));
    const url = `https://127.0.0.1:${(tlsBackend.address() as { port: number }).port}`;
    const strict = track(await startGateway(site([url])));
    assert.equal((await get(strict.port, '/')).status, 502);
    const lax = track(
      await startGateway(
        [
          '  sites:',
          '    - hosts: [app.test]',
          `      upstreams: [{ url: '${url}', insecure_skip_verify: true }]`,
        ].join('\n'),
      ),
    );
    const r = await get(lax.port, '/');
    assert.equal(r.status, 200);
    assert.equal(r.text, 'secure');
  });

  it('skips a refusing upstream for the others and routes by path prefix', async () => {
    const port = await deadPort();
    const good = track(await startBackend());
    const api = track(await startBackend());
    const gw = track(
      await startGateway(
        site(
          [`http://127.0.0.1:${port}`, good.url],
          ['routes:', `  - { path: /api/, upstreams: [{ url: '${api.url}' }] }`],
        ),
      ),
    );
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(gw.port, '/')).status);
    assert.equal(statuses.filter((s) => s === 502).length, 1, String(statuses));
    assert.equal((await get(gw.port, '/api/v1')).headers['x-backend'], String(api.port));
    assert.equal((await get(gw.port, '/apix')).headers['x-backend'], String(good.port));
  });
});
