// The gateway's reverse proxy over real loopback connections: pass-through, forwarding headers, streaming,
// HTTP/2, redirects, HSTS and X-Request-Id.
import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import {
  type Backend,
  get,
  metric,
  plainGet,
  startBackend,
  startGateway,
  type TestGateway,
} from './support/gateway.ts';

describe('gateway proxy', () => {
  let backend: Backend;
  let gw: TestGateway;

  before(async () => {
    backend = await startBackend();
    gw = await startGateway(
      [
        '  hsts: { max_age: 1d, include_subdomains: true }',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    );
  });
  after(async () => {
    await gw.close();
    await backend.close();
  });

  it('passes methods, paths, query strings and headers through', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await get(gw.port, '/a/b?x=1&y=%20z', {
        method,
        headers: { 'x-custom': 'v1', cookie: 'a=b' },
        ...(method === 'POST' ? { body: 'hello' } : {}),
      });
      assert.equal(r.status, 200, method);
      const echo = JSON.parse(r.text);
      assert.equal(echo.method, method);
      assert.equal(echo.url, '/a/b?x=1&y=%20z');
      assert.equal(echo.headers['x-custom'], 'v1');
      assert.equal(echo.headers.cookie, 'a=b');
      assert.equal(echo.headers.host, 'app.test');
      assert.equal(r.headers['x-backend'], String(backend.port));
    }
  });

  it('removes hop-by-hop headers and sets X-Forwarded-* and Forwarded from the peer', async () => {
    const r = await get(gw.port, '/', {
      headers: {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'dropped',
        'keep-alive': 'timeout=5',
        'proxy-authorization': 'Basic eA==',
        te: 'gzip',
        'x-forwarded-for': '6.6.6.6',
        forwarded: 'for=6.6.6.6',
        'x-forwarded-proto': 'http',
      },
    });
    const h = JSON.parse(r.text).headers;
    assert.equal(h['x-secret-hop'], undefined);
    assert.equal(h['keep-alive'], undefined);
    assert.equal(h['proxy-authorization'], undefined);
    assert.equal(h.te, undefined);
    assert.equal(h['x-forwarded-for'], '127.0.0.1', 'an untrusted client cannot claim an address');
    assert.equal(h['x-forwarded-proto'], 'https');
    assert.equal(h['x-forwarded-host'], 'app.test');
    assert.equal(h.forwarded, 'for=127.0.0.1;host=app.test;proto=https');
  });

  it('adds an X-Request-Id upstream and logs it', async () => {
    const r = await get(gw.port, '/rid', { headers: { 'x-request-id': 'client-chosen' } });
    const id = JSON.parse(r.text).headers['x-request-id'];
    assert.match(id, /^[0-9a-f-]{36}$/, 'an untrusted client id is replaced');
    assert.equal(r.headers['x-request-id'], id, 'the client sees the id too');
    await new Promise((res) => setTimeout(res, 20));
    assert.ok(
      gw.logs.some((l) => l.includes(id) && l.includes('"path":"/rid"')),
      'access log has the id',
    );
  });

  it('sets HSTS on TLS responses and redirects plain HTTP with 308', async () => {
    const r = await get(gw.port, '/');
    assert.equal(r.headers['strict-transport-security'], 'max-age=86400; includeSubDomains');
    const plain = await plainGet(gw.redirectPort, '/p?q=1', 'app.test');
    assert.equal(plain.status, 308);
    assert.equal(plain.headers.location, `https://app.test:${gw.port}/p?q=1`);
    assert.equal(plain.headers['strict-transport-security'], undefined);
    const unknown = await plainGet(gw.redirectPort, '/', 'evil.test');
    assert.equal(unknown.status, 421);
    const behindDocker = await startGateway(
      [
        '  public_https_port: 443',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
      ].join('\n'),
    );
    try {
      const r443 = await plainGet(behindDocker.redirectPort, '/x', 'app.test:80');
      assert.equal(r443.headers.location, 'https://app.test/x');
    } finally {
      await behindDocker.close();
    }
  });

  it('serves HTTP/2 clients (ALPN) with the same response', async () => {
    const client = h2connect(`https://127.0.0.1:${gw.port}`, { servername: 'app.test', rejectUnauthorized: false });
    try {
      const { status, headers, body } = await new Promise<{
        status: number;
        headers: Record<string, unknown>;
        body: string;
      }>((resolve, reject) => {
        const s = client.request({ ':path': '/h2?x=1', ':authority': 'app.test', 'x-custom': 'h2' });
        let hs: Record<string, unknown> = {};
        let data = '';
        s.on('response', (h) => {
          hs = h;
        });
        s.setEncoding('utf8');
        s.on('data', (d: string) => {
          data += d;
        });
        s.on('end', () => resolve({ status: Number(hs[':status']), headers: hs, body: data }));
        s.on('error', reject);
        s.end();
      });
      assert.equal(status, 200);
      assert.equal(headers['x-backend'], String(backend.port));
      assert.equal(headers['strict-transport-security'], 'max-age=86400; includeSubDomains');
      const echo = JSON.parse(body);
      assert.equal(echo.url, '/h2?x=1');
      assert.equal(echo.headers.host, 'app.test');
      assert.equal(echo.headers['x-custom'], 'h2');
      assert.equal(echo.headers['x-forwarded-proto'], 'https');
    } finally {
      client.close();
    }
  });

  it('counts requests per site and status on the registry', async () => {
    assert.ok(
      ((await metric(gw.registry, 'vigil_gateway_requests_total', { site: 'app.test', code: '200' })) ?? 0) > 0,
    );
    assert.ok(
      ((await metric(gw.registry, 'vigil_gateway_request_duration_seconds_count', { site: 'app.test' })) ?? 0) > 0,
    );
    assert.equal(await metric(gw.registry, 'vigil_gateway_upstream_up', { upstream: backend.url }), 1);
    assert.ok(
      ((await metric(gw.registry, 'vigil_gateway_certificate_expiry_timestamp_seconds')) ?? 0) > Date.now() / 1000,
    );
  });
});
