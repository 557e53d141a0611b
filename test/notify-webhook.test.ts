// The outbox delivering to generic webhooks over loopback: request shape, status rules, timeouts, redirects
// and TLS with a self-signed certificate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../src/config/index.ts';
import { meta, metricValue, openOutbox, type TestOutbox } from './support/notify.ts';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/** A webhook receiver answering from a per-path script, then 200. */
class Receiver {
  readonly requests: Received[] = [];
  readonly scripts = new Map<string, Answer[]>();
  constructor(readonly server: Server) {
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({
          method: req.method ?? '',
          path,
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
          at: Date.now(),
        });
        const a = this.scripts.get(path)?.shift() ?? { status: 200, body: 'fine' };
        if (a === 'hang') return;
        res.writeHead(a.status, a.headers);
        res.end(a.body ?? '');
      });
    });
  }
  to(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }
  async close() {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A forwarding HTTP proxy: absolute-form requests and CONNECT tunnels, each recorded. */
class ForwardProxy {
  readonly seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];
  readonly sockets = new Set<Duplex>();
  readonly server = createServer((req, res) => {
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const up = request(
      { host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  constructor() {
    this.server.on('connect', (req, client, head) => {
      this.seen.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers });
      const [host = '', port = ''] = (req.url ?? '').split(':');
      const up = netConnect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        up.write(head);
        up.pipe(client);
        client.pipe(up);
      });
      this.sockets.add(client).add(up);
      up.on('error', () => client.destroy());
      client.on('error', () => up.destroy());
    });
  }
}

describe('notify: webhook', () => {
  let plain: Receiver;
  let base: string;
  let tls: Receiver;
  let tlsBase: string;
  let ca: string;
  const certDir = mkdtempSync(join(tmpdir(), 'vigil-notify-cert-'));
  const opened: TestOutbox[] = [];
  const open = (o: Parameters<typeof openOutbox>[0] = {}) => {
    const t = openOutbox({ retry: { initialMs: 20, maxMs: 40 }, ...o });
    opened.push(t);
    t.outbox.start();
    return t;
  };

  before(async () => {
    plain = new Receiver(createServer());
    base = `http://${await listen(plain.server)}`;
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(certDir, 'key.pem'),
        '-out',
        join(certDir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(certDir, 'cert.pem'), 'utf8');
    tls = new Receiver(createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: ca }));
    tlsBase = `https://${await listen(tls.server)}`;
  });
  after(async () => {
    for (const t of opened) await t.close();
    await plain.close();
    await tls.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  it('POSTs the JSON body with its headers, User-Agent and basic auth', async () => {
    const t = open();
    const body = { receiver: 'ops', status: 'firing', alerts: [{ labels: { alertname: 'X' } }], version: '4' };
    t.outbox.enqueue(
      {
        kind: 'webhook',
        url: new Secret(`${base}/hook/1?token=abc`),
        body,
        headers: { 'X-Team': 'infra', 'User-Agent': 'ignored' },
        http: { basic_auth: { username: new Secret('am'), password: new Secret('pw') } },
      },
      meta('webhook/0'),
    );
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    const [r] = plain.to('/hook/1?token=abc');
    assert.equal(r?.method, 'POST');
    assert.deepEqual(JSON.parse(r?.body ?? ''), body);
    assert.equal(r?.headers['content-type'], 'application/json');
    assert.equal(r?.headers['user-agent'], 'vigil/test');
    assert.equal(r?.headers['x-team'], 'infra');
    assert.equal(r?.headers.authorization, `Basic ${Buffer.from('am:pw').toString('base64')}`);
    assert.equal(
      await metricValue(t.registry, 'vigil_notifications_total', {
        channel: 'webhook',
        receiver: 'ops',
        integration: 'webhook/0',
      }),
      1,
    );
  });

  const statuses: Array<[number, 'sent' | 'dead' | 'retried']> = [
    [204, 'sent'],
    [202, 'sent'],
    [400, 'dead'],
    [401, 'dead'],
    [404, 'dead'],
    [408, 'retried'],
    [429, 'retried'],
    [500, 'retried'],
    [503, 'retried'],
  ];
  for (const [status, want] of statuses) {
    it(`${status} → ${want}`, async () => {
      const t = open();
      const path = `/status/${status}`;
      plain.scripts.set(path, [{ status, body: `answer ${status}` }]);
      const id = t.outbox.enqueue({ kind: 'webhook', url: base + path, body: {} }, meta('webhook/1'));
      if (want === 'dead') {
        await waitFor(() => t.outbox.deadLetters().length === 1);
        assert.equal(t.outbox.deadLetters()[0]?.reason, `${status} answer ${status}`);
        assert.equal(plain.to(path).length, 1);
        return;
      }
      await waitFor(() => t.outbox.history()[0]?.status === 'sent');
      assert.equal(t.outbox.history()[0]?.id, id);
      assert.equal(plain.to(path).length, want === 'sent' ? 1 : 2);
    });
  }

  it('times out a receiver that hangs, then retries and delivers', async () => {
    const t = open();
    plain.scripts.set('/hang', ['hang']);
    t.outbox.enqueue({ kind: 'webhook', url: `${base}/hang`, body: { n: 1 }, timeoutMs: 200 }, meta());
    // The failed state lasts only the 20–40 ms backoff (a poll can miss it on a loaded machine): judge by the end
    // state — two attempts, the first cut by the 200 ms timeout (the receiver saw them at least that far apart).
    await waitFor(() => t.outbox.history()[0]?.status === 'sent');
    assert.equal(t.outbox.history()[0]?.attempts, 2, 'one timed-out attempt, then the delivery');
    const [first, second] = plain.to('/hang');
    assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 190);
  });

  it('follows a 307 redirect with the same POST, and refuses redirects when follow_redirects is off', async () => {
    const t = open();
    plain.scripts.set('/moved', [
      { status: 307, headers: { Location: '/new-home' } },
      { status: 307, headers: { Location: '/new-home' } },
    ]);
    t.outbox.enqueue({ kind: 'webhook', url: `${base}/moved`, body: { v: 1 } }, meta());
    await waitFor(() => plain.to('/new-home').length === 1);
    assert.equal(plain.to('/new-home')[0]?.method, 'POST');
    assert.deepEqual(JSON.parse(plain.to('/new-home')[0]?.body ?? ''), { v: 1 });
    t.outbox.enqueue({ kind: 'webhook', url: `${base}/moved`, body: {}, http: { follow_redirects: false } }, meta());
    await waitFor(() => t.outbox.deadLetters().length === 1);
    assert.equal(t.outbox.deadLetters()[0]?.reason, '307');
  });

  it('speaks TLS with the configured CA, and fails (transiently) without it', async () => {
    const t = open({ retry: { initialMs: 50, maxMs: 50, maxAgeMs: 400 } });
    t.outbox.enqueue(
      { kind: 'webhook', url: `${tlsBase}/secure`, body: { s: 1 }, http: { tls_config: { ca } } },
      meta(),
    );
    await waitFor(() => tls.to('/secure').length === 1);
    t.outbox.enqueue({ kind: 'webhook', url: `${tlsBase}/untrusted`, body: {} }, meta());
    await waitFor(() => t.outbox.deadLetters().length === 1, 3000);
    assert.match(t.outbox.deadLetters()[0]?.reason ?? '', /gave up after \d+ attempts: .*self[- ]signed/);
    assert.equal(tls.to('/untrusted').length, 0);
  });

  it('goes through an HTTP proxy: absolute-form for http, CONNECT for https; no_proxy bypasses it', async () => {
    const proxy = new ForwardProxy();
    const proxyAddr = await listen(proxy.server);
    try {
      const t = open();
      const http = { proxy_url: `http://pu:pp@${proxyAddr}` };
      t.outbox.enqueue({ kind: 'webhook', url: `${base}/via-proxy`, body: { p: 1 }, http }, meta());
      await waitFor(() => plain.to('/via-proxy').length === 1);
      assert.equal(proxy.seen[0]?.url, `${base}/via-proxy`);
      assert.equal(proxy.seen[0]?.headers['proxy-authorization'], `Basic ${Buffer.from('pu:pp').toString('base64')}`);

      t.outbox.enqueue(
        {
          kind: 'webhook',
          url: `${tlsBase}/tunneled`,
          body: { p: 2 },
          http: {
            proxy_url: `http://${proxyAddr}`,
            proxy_connect_header: { 'X-Proxy-Token': [new Secret('tok')] },
            tls_config: { ca },
          },
        },
        meta(),
      );
      await waitFor(() => tls.to('/tunneled').length === 1);
      assert.deepEqual(JSON.parse(tls.to('/tunneled')[0]?.body ?? ''), { p: 2 });
      const connect = proxy.seen.find((r) => r.method === 'CONNECT');
      assert.equal(connect?.url, new URL(tlsBase).host);
      assert.equal(connect?.headers['x-proxy-token'], 'tok');

      const before = proxy.seen.length;
      t.outbox.enqueue(
        {
          kind: 'webhook',
          url: `${base}/direct`,
          body: {},
          http: { proxy_url: `http://${proxyAddr}`, no_proxy: '127.0.0.0/8' },
        },
        meta(),
      );
      await waitFor(() => plain.to('/direct').length === 1);
      assert.equal(proxy.seen.length, before);
    } finally {
      proxy.server.closeAllConnections();
      for (const s of proxy.sockets) s.destroy();
      await new Promise((r) => proxy.server.close(r));
    }
  });

  it('retries connection errors without naming the URL path', async () => {
    const t = open({ retry: { initialMs: 20, maxMs: 20, maxAgeMs: 200 } });
    const dead = createServer();
    const addr = await listen(dead);
    await new Promise((r) => dead.close(r));
    t.outbox.enqueue({ kind: 'webhook', url: `http://${addr}/secret-path-123`, body: {} }, meta());
    await waitFor(() => t.outbox.deadLetters().length === 1, 3000);
    const reason = t.outbox.deadLetters()[0]?.reason ?? '';
    assert.match(reason, /ECONNREFUSED/);
    assert.equal((reason + t.logs.join('')).includes('secret-path-123'), false);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
