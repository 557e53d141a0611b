// Streaming through the gateway: large bodies both ways without buffering, chunked encoding, WebSocket
// upgrades, client addresses from trusted proxies, and the inspector hook.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { InspectedRequest, Inspection, RequestInspector, SecurityEvent } from '../src/gateway/index.ts';
import { allow } from '../src/gateway/index.ts';
import { type Backend, get, startBackend, startGateway, type TestGateway } from './support/gateway.ts';

const MB = 1024 * 1024;
const chunk = Buffer.alloc(64 * 1024, 'x');

/** Runs `fn` while sampling RSS; returns the growth of the peak over the start, in bytes. */
async function peakRssGrowth(fn: () => Promise<void>): Promise<number> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - start;
}

const wsGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const acceptKey = (key: string) =>
  createHash('sha1')
    .update(key + wsGuid)
    .digest('base64');

/** A WebSocket frame: FIN, text, payload shorter than 126 bytes; masked when a client sends it. */
function frame(text: string, mask: boolean): Buffer {
  const payload = Buffer.from(text);
  if (!mask) return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
  const key = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), key, masked]);
}

function unframe(buf: Buffer): string {
  const len = (buf[1] as number) & 0x7f;
  if (((buf[1] as number) & 0x80) === 0) return buf.subarray(2, 2 + len).toString();
  const key = buf.subarray(2, 6);
  return Buffer.from(buf.subarray(6, 6 + len).map((b, i) => b ^ (key[i % 4] as number))).toString();
}

describe('gateway streaming', () => {
  let backend: Backend;
  let downloadSent = 0;
  let gw: TestGateway;
  let inspected: InspectedRequest[] = [];
  const events: SecurityEvent[] = [];
  const factoryConfigs: number[] = [];
  const inspector: RequestInspector = {
    open(request) {
      inspected.push(request);
      if (!request.uri.startsWith('/inspect')) return null;
      const inspection: Inspection = {
        requestHeaders: () => (request.headers['x-attack'] ? { action: 'block', status: 403 } : allow),
        requestBodyLimitBytes: 1024,
        requestBody: (body) => (body.includes('evil') ? { action: 'block', status: 403 } : allow),
        responseHeaders: () => allow,
        responseBodyLimitBytes: 1024,
        responseBody: (body) => (body.includes('secret-leak') ? { action: 'block', status: 502 } : allow),
        close: (status) => ({
          timeMs: Date.now(),
          requestId: request.requestId,
          site: request.site,
          clientIp: request.clientIp,
          method: request.method,
          uri: request.uri,
          status,
          action: status === 200 ? 'detected' : 'blocked',
          matches: [{ id: 1, phase: 1, msg: `closed ${request.uri}`, data: '', severity: 'NOTICE', tags: [] }],
          anomaly: { inbound: 0, outbound: 0 },
        }),
      };
      return inspection;
    },
  };

  before(async () => {
    backend = await startBackend((req, res) => {
      if (req.url === '/upload') {
        let n = 0;
        req.pause();
        setTimeout(() => req.resume(), 400);
        req.on('data', (c: Buffer) => {
          n += c.length;
        });
        req.on('end', () => res.end(String(n)));
        return;
      }
      if (req.url?.startsWith('/download')) {
        const total = 50 * MB;
        downloadSent = 0;
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const pump = () => {
          while (downloadSent < total) {
            downloadSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        pump();
        return;
      }
      if (req.url === '/cookies') {
        res.setHeader('set-cookie', ['a=1; Secure', 'b=2; HttpOnly']);
        res.setHeader('connection', 'close, x-hop');
        res.setHeader('x-hop', 'dropped');
        res.end('ok');
        return;
      }
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one,');
        setTimeout(() => res.end('two'), 20);
        return;
      }
      const body: Buffer[] = [];
      req.on('data', (c: Buffer) => body.push(c));
      req.on('end', () => {
        const text = Buffer.concat(body).toString();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            url: req.url,
            headers: req.headers,
            body: text,
            leak: req.url === '/inspect/leak' ? 'secret-leak' : '',
          }),
        );
      });
    });
    backend.server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      const key = String(req.headers['sec-websocket-key']);
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\nX-Seen-Forwarded-For: ${req.headers['x-forwarded-for']}\r\n\r\n`,
      );
      socket.on('data', (d: Buffer) => socket.write(frame(`echo:${unframe(d)}`, false)));
      socket.on('end', () => socket.end());
    });
    gw = await startGateway(
      [
        '  trusted_proxies: [127.0.0.0/8]',
        '  sites:',
        '    - hosts: [app.test]',
        `      upstreams: [{ url: '${backend.url}' }]`,
        '      max_body_bytes: 100MiB',
      ].join('\n'),
      {
        inspector: (config) => {
          factoryConfigs.push(config.sites.length);
          return inspector;
        },
        events: { emit: (e) => events.push(e) },
      },
    );
  });
  after(async () => {
    await gw.close();
    await backend.close();
  });

  it('streams a 50 MB upload without buffering it', async (t) => {
    let answer = '';
    let sentWhilePaused = 0;
    const growth = await peakRssGrowth(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = httpsRequest(
            {
              host: '127.0.0.1',
              port: gw.port,
              path: '/upload',
              method: 'POST',
              headers: { host: 'app.test' },
              rejectUnauthorized: false,
              agent: false,
            },
            (res) => {
              res.setEncoding('utf8');
              res.on('data', (d: string) => {
                answer += d;
              });
              res.on('end', resolve);
            },
          );
          req.on('error', reject);
          let sent = 0;
          setTimeout(() => {
            sentWhilePaused = sent;
          }, 300);
          const pump = () => {
            while (sent < 50 * MB) {
              sent += chunk.length;
              if (!req.write(chunk)) return void req.once('drain', pump);
            }
            req.end();
          };
          pump();
        }),
    );
    assert.equal(answer, String(50 * MB));
    t.diagnostic(
      `sent while the upstream paused: ${(sentWhilePaused / MB).toFixed(1)} MB; RSS growth ${(growth / MB).toFixed(1)} MB`,
    );
    // While the upstream does not read, the client is held back: the gateway buffers a few socket buffers only.
    assert.ok(sentWhilePaused < 24 * MB, `the client sent ${Math.round(sentWhilePaused / MB)} MB to a paused upstream`);
    assert.ok(growth < 100 * MB, `RSS grew by ${Math.round(growth / MB)} MB`);
  });

  it('streams a 50 MB download without buffering it', async (t) => {
    let received = 0;
    let sentWhilePaused = 0;
    const growth = await peakRssGrowth(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = httpsRequest(
            {
              host: '127.0.0.1',
              port: gw.port,
              path: '/download',
              headers: { host: 'app.test' },
              rejectUnauthorized: false,
              agent: false,
            },
            (res) => {
              res.pause();
              setTimeout(() => {
                sentWhilePaused = downloadSent;
                res.resume();
              }, 300);
              res.on('data', (d: Buffer) => {
                received += d.length;
              });
              res.on('end', resolve);
            },
          );
          req.on('error', reject);
          req.end();
        }),
    );
    assert.equal(received, 50 * MB);
    t.diagnostic(
      `sent while the client paused: ${(sentWhilePaused / MB).toFixed(1)} MB; RSS growth ${(growth / MB).toFixed(1)} MB`,
    );
    assert.ok(sentWhilePaused < 24 * MB, `the upstream sent ${Math.round(sentWhilePaused / MB)} MB to a paused client`);
    assert.ok(growth < 100 * MB, `RSS grew by ${Math.round(growth / MB)} MB`);
  });

  it('keeps repeated response headers and drops hop-by-hop ones', async () => {
    const r = await get(gw.port, '/cookies');
    assert.deepEqual(r.headers['set-cookie'], ['a=1; Secure', 'b=2; HttpOnly']);
    assert.equal(r.headers['x-hop'], undefined);
    assert.notEqual(r.headers.connection, 'close, x-hop');
  });

  it('passes chunked bodies both ways', async () => {
    const r = await get(gw.port, '/chunked');
    assert.equal(r.text, 'one,two');
    assert.equal(r.headers['transfer-encoding'], 'chunked');
    const up = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: gw.port,
          path: '/echo',
          method: 'POST',
          headers: { host: 'app.test' },
          rejectUnauthorized: false,
          agent: false,
        },
        (res) => {
          let t = '';
          res.on('data', (d: Buffer) => {
            t += d;
          });
          res.on('end', () => resolve(t));
        },
      );
      req.on('error', reject);
      req.write('a');
      setTimeout(() => req.end('b'), 20);
    });
    const echo = JSON.parse(up);
    assert.equal(echo.body, 'ab');
    assert.equal(echo.headers['transfer-encoding'], 'chunked');
  });

  it('proxies a WebSocket upgrade and echoes frames both ways', async () => {
    const key = Buffer.from('0123456789abcdef').toString('base64');
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: gw.port,
      servername: 'app.test',
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    try {
      await new Promise<void>((r) => socket.once('secureConnect', () => r()));
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      const head = await new Promise<string>((r) => socket.once('data', (d: Buffer) => r(d.toString('latin1'))));
      assert.match(head, /^HTTP\/1\.1 101 /);
      assert.match(head, new RegExp(`Sec-WebSocket-Accept: ${acceptKey(key).replace(/[+/]/g, '\\$&')}`));
      assert.match(head, /X-Seen-Forwarded-For: 127\.0\.0\.1/);
      for (const text of ['hello', 'again']) {
        socket.write(frame(text, true));
        const reply = await new Promise<Buffer>((r) => socket.once('data', (d: Buffer) => r(d)));
        assert.equal(unframe(reply), `echo:${text}`);
      }
    } finally {
      socket.destroy();
    }
  });

  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const r = await get(gw.port, '/xff', {
      headers: { 'x-forwarded-for': '203.0.113.7, 127.0.0.2', forwarded: 'for=203.0.113.7', 'x-request-id': 'edge-1' },
    });
    const h = JSON.parse(r.text).headers;
    assert.equal(h['x-forwarded-for'], '203.0.113.7, 127.0.0.2, 127.0.0.1');
    assert.equal(h.forwarded, 'for=203.0.113.7, for=127.0.0.1;host=app.test;proto=https');
    assert.equal(h['x-request-id'], 'edge-1', 'a trusted proxy may set the request id');
    const seen = inspected.find((i) => i.uri === '/xff');
    assert.equal(seen?.clientIp, '203.0.113.7');
  });

  it('lets the inspector block on request headers, request body and response body, and collects events', async () => {
    inspected = [];
    assert.equal((await get(gw.port, '/inspect/a', { headers: { 'x-attack': '1' } })).status, 403);
    assert.equal((await get(gw.port, '/inspect/b', { method: 'POST', body: 'an evil body' })).status, 403);
    const fine = await get(gw.port, '/inspect/c', { method: 'POST', body: 'a fine body' });
    assert.equal(fine.status, 200);
    assert.equal(JSON.parse(fine.text).body, 'a fine body');
    assert.equal((await get(gw.port, '/inspect/leak')).status, 502);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      events.map((e) => `${e.matches[0]?.msg} ${e.status}`),
      ['closed /inspect/a 403', 'closed /inspect/b 403', 'closed /inspect/c 200', 'closed /inspect/leak 502'],
    );
    assert.equal(backend.seen.filter((r) => r.url === '/inspect/a' || r.url === '/inspect/b').length, 0);
    assert.deepEqual(factoryConfigs, [1], 'the factory is called once per config');
  });
});
