// Hostile clients against the gateway: each gets its status and a security event (audit line, event sink),
// and the gateway keeps serving everyone else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditRecord, SecurityEvent } from '../src/gateway/index.ts';
import { type Backend, get, metric, rawTls, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);

describe('gateway against hostile clients', () => {
  let backend: Backend;
  let gw: TestGateway;
  const events: SecurityEvent[] = [];

  /** The audit lines written so far. */
  const audit = (): AuditRecord[] => {
    try {
      return readFileSync(join(gw.dataDir, 'gateway-audit.log'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditRecord);
    } catch {
      return [];
    }
  };
  /** Waits until `n` more events than `before` have arrived; returns the new ones. */
  const newEvents = async (before: number, n = 1): Promise<SecurityEvent[]> => {
    for (let i = 0; i < 100 && events.length < before + n; i++) await new Promise((r) => setTimeout(r, 20));
    return events.slice(before);
  };

  before(async () => {
    backend = await startBackend();
    gw = await startGateway(
      [
        '  limits: { header_timeout: 600ms, body_timeout: 1s, max_header_bytes: 4KiB, max_header_count: 20, max_body_bytes: 1KiB }',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        '      routes:',
        `        - { path: /upload/, upstreams: [{ url: '${backend.url}' }], max_body_bytes: 4KiB }`,
      ].join('\n'),
      { events: { emit: (e) => events.push(e) } },
    );
  });
  after(async () => {
    await gw.close();
    await backend.close();
  });

  const cases: Array<{ name: string; request: string; status: number; rule: number; site?: string }> = [
    {
      name: 'malformed request line',
      request: 'GET /a b c HTTP/1.1\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11001,
    },
    { name: 'garbage', request: '\x16\x03\x01hello\r\n\r\n', status: 400, rule: 11001 },
    {
      name: 'bad percent-encoding',
      request: 'GET /a%zz HTTP/1.1\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11003,
      site: 'app.test',
    },
    {
      name: 'a fragment in the target',
      request: 'GET /a#frag HTTP/1.1\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11003,
      site: 'app.test',
    },
    {
      name: 'an HTTP/2.0 request line on an HTTP/1 connection',
      request: 'POST / HTTP/2.0\r\nHost: app.test\r\nContent-Length: 2\r\n\r\nab',
      status: 400,
      rule: 11012,
      site: 'app.test',
    },
    {
      name: 'HTTP/0.9 with headers',
      request: 'GET / HTTP/0.9\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11012,
      site: 'app.test',
    },
    {
      name: 'a Host with a control character',
      request: 'GET / HTTP/1.1\r\nHost: app.test%00\r\n\r\n',
      status: 400,
      rule: 11011,
    },
    { name: 'no Host', request: 'GET / HTTP/1.1\r\n\r\n', status: 400, rule: 11004 },
    {
      name: 'a host no site serves',
      request: 'GET / HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n',
      status: 421,
      rule: 11010,
    },
    {
      name: 'an absolute-form target naming another host',
      request: 'GET https://evil.test/ HTTP/1.1\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11003,
      site: 'app.test',
    },
    {
      name: 'CL+TE smuggling',
      request:
        'POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: app.test\r\n\r\n',
      status: 400,
      rule: 11002,
      site: 'app.test',
    },
    {
      name: 'TE with an unknown coding',
      request: 'POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
      status: 400,
      rule: 11002,
      site: 'app.test',
    },
    {
      name: 'two Content-Lengths',
      request: 'POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      status: 400,
      rule: 11002,
      site: 'app.test',
    },
    {
      name: 'oversized header',
      request: `GET / HTTP/1.1\r\nHost: app.test\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`,
      status: 431,
      rule: 11005,
    },
    {
      name: 'too many headers',
      request: `GET / HTTP/1.1\r\nHost: app.test\r\n${Array.from({ length: 30 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
      status: 431,
      rule: 11006,
    },
    {
      name: 'declared body over the limit',
      request: 'POST / HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5000\r\n\r\n',
      status: 413,
      rule: 11007,
      site: 'app.test',
    },
    {
      name: 'chunked body over the limit',
      request: `POST / HTTP/1.1\r\nHost: app.test\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n${'a'.repeat(2048)}\r\n0\r\n\r\n`,
      status: 413,
      rule: 11007,
      site: 'app.test',
    },
  ];
  for (const c of cases) {
    it(`answers ${c.status} to ${c.name}, with a security event`, async () => {
      const before = events.length;
      const raw = await rawTls(gw.port, [c.request]);
      assert.equal(statusOf(raw), c.status, raw.slice(0, 200));
      assert.equal(backend.seen.filter((r) => r.url === '/smuggled').length, 0);
      const [ev, ...more] = await newEvents(before);
      assert.deepEqual(more, [], 'one event');
      assert.ok(ev, 'an event');
      assert.equal(ev.action, 'blocked');
      assert.equal(ev.status, c.status);
      assert.equal(ev.site, c.site ?? '');
      assert.equal(ev.clientIp, '127.0.0.1');
      assert.deepEqual(
        ev.matches.map((m) => m.id),
        [c.rule],
      );
      const line = audit().find((l) => l.request_id === ev.requestId);
      assert.deepEqual(line?.matched_rule_ids, [c.rule], 'the audit line');
      assert.equal(line?.status, c.status);
    });
  }

  it('names the method and target of a request line the parser refused', () => {
    const line = audit().find((l) => l.matched_rule_ids[0] === 11001 && l.method === 'GET');
    assert.equal(line?.uri, '/a', 'GET /a b c: the parser stopped at the second space');
    const garbage = audit().find((l) => l.matched_rule_ids[0] === 11001 && l.method === '');
    assert.equal(garbage?.uri, '\\x16\\x03\\x01hello', 'control bytes shown escaped');
  });

  it('passes a path that is not UTF-8 once decoded, and an invalid escape in the query (the WAF judges them)', async () => {
    const raw = await rawTls(gw.port, ['GET /a%c3%28?q=%zz HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n']);
    assert.equal(statusOf(raw), 200);
  });

  it('sends an HTTP/1.0 request without Host to the * site, and refuses it without one', async () => {
    const raw = await rawTls(gw.port, ['GET /old HTTP/1.0\r\n\r\n']);
    assert.equal(statusOf(raw), 400, 'no * site here');
  });

  it('accepts an absolute-form target for its own host', async () => {
    const raw = await rawTls(gw.port, [
      'GET https://app.test/abs?x=1 HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n',
    ]);
    assert.equal(statusOf(raw), 200);
    assert.match(raw, /"url":"\/abs\?x=1"/);
  });

  it('lets a route allow a larger body than the site', async () => {
    const r = await get(gw.port, '/upload/x', { method: 'POST', body: 'a'.repeat(3000) });
    assert.equal(r.status, 200);
  });

  it('answers 408 to a slowloris client and keeps serving others meanwhile', async () => {
    const headerLines = [
      'GET / HTTP/1.1\r\n',
      'Host: app.test\r\n',
      ...Array.from({ length: 15 }, (_, i) => `X-${i}: a\r\n`),
    ];
    const slow = Array.from({ length: 5 }, () => rawTls(gw.port, headerLines, { paceMs: 150, timeoutMs: 5000 }));
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const ok = await get(gw.port, '/fine');
    assert.equal(ok.status, 200);
    assert.ok(Date.now() - started < 500, 'a normal client is served at once');
    const before = events.length;
    const results = await Promise.all(slow);
    for (const raw of results) assert.equal(statusOf(raw), 408, raw.slice(0, 100));
    assert.ok(((await metric(gw.registry, 'vigil_gateway_client_errors_total', { reason: 'timeout' })) ?? 0) >= 5);
    const slowloris = (await newEvents(before, 5)).filter((e) => e.matches[0]?.id === 11008);
    assert.equal(slowloris.length, 5, 'an event per slow client');
    assert.match(slowloris[0]?.matches[0]?.data ?? '', /request head not received within 600 ms/);
  });

  it('answers 408 to a body that trickles in slower than body_timeout', async () => {
    const head = 'POST /slow-body HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\n';
    const before = events.length;
    const raw = await rawTls(gw.port, [head, ...Array.from({ length: 20 }, () => 'aaaa')], {
      paceMs: 150,
      timeoutMs: 5000,
    });
    assert.equal(statusOf(raw), 408, raw.slice(0, 100));
    const [ev] = await newEvents(before);
    assert.equal(ev?.matches[0]?.id, 11009);
    assert.equal(ev?.site, 'app.test');
    assert.equal(ev?.uri, '/slow-body');
  });

  it('applies the body limit and header limits to HTTP/2 clients too', async () => {
    const { connect } = await import('node:http2');
    const client = connect(`https://127.0.0.1:${gw.port}`, { servername: 'app.test', rejectUnauthorized: false });
    const send = (headers: Record<string, string>, body?: Buffer, end = true) =>
      new Promise<number>((resolve, reject) => {
        const s = client.request({ ':path': '/', ':authority': 'app.test', ...headers });
        s.on('response', (h) => {
          resolve(Number(h[':status']));
          if (!end) s.close();
        });
        s.on('error', reject);
        s.resume();
        if (end) s.end(body);
      });
    try {
      assert.equal(await send({ ':method': 'POST' }, Buffer.alloc(2048)), 413);
      assert.equal(await send({ ':method': 'POST', 'content-length': '5000' }, undefined, false), 413);
      const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x-h${i}`, 'v']));
      assert.equal(await send(many), 431);
      // A fresh session: a client that has read the gateway's SETTINGS does not send so large a list at all.
      const fresh = connect(`https://127.0.0.1:${gw.port}`, { servername: 'app.test', rejectUnauthorized: false });
      const big = await new Promise<number>((resolve, reject) => {
        const s = fresh.request({ ':path': '/', ':authority': 'app.test', 'x-big': 'a'.repeat(8000) });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
        s.end();
      });
      fresh.close();
      assert.equal(big, 431);
      assert.equal(await send({}), 200);
      const started = Date.now();
      assert.equal(await send({ ':method': 'POST', 'content-length': '100' }, undefined, false), 408);
      assert.ok(Date.now() - started >= 900, 'after body_timeout');
    } finally {
      client.close();
    }
  });

  it('still serves after all of the above', async () => {
    assert.equal((await get(gw.port, '/')).status, 200);
  });
});
