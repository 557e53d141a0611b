// The gateway's lifecycle and robustness: graceful close with a request in flight, clients that vanish
// mid-stream, and upstream answers Node refuses to forward.
import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Backend, get, rawTls, startBackend, startGateway } from './support/gateway.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway lifecycle', () => {
  let backend: Backend;
  let upstreamClosed = 0;
  before(async () => {
    backend = await startBackend((req, res) => {
      if (req.url === '/slow') {
        setTimeout(() => res.end('finished'), 300);
        return;
      }
      if (req.url === '/endless') {
        res.writeHead(200);
        const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024)), 5);
        res.on('close', () => {
          clearInterval(timer);
          upstreamClosed++;
        });
        return;
      }
      res.end('ok');
    });
  });
  after(() => backend.close());

  const yaml = (url: string) =>
    ['  sites:', '    - hosts: [app.test]', `      upstreams: [{ url: '${url}' }]`].join('\n');

  it('lets a request in flight finish on close, then refuses connections', async () => {
    const gw = await startGateway(yaml(backend.url));
    const pending = get(gw.port, '/slow');
    await sleep(100);
    const closing = gw.close();
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(r.text, 'finished');
    await closing;
    await assert.rejects(get(gw.port, '/'));
  });

  it('closes a keep-alive connection left idle for idle_timeout', async () => {
    const gw = await startGateway(`  limits: { idle_timeout: 300ms }\n${yaml(backend.url)}`);
    try {
      const started = Date.now();
      const raw = await rawTls(gw.port, ['GET / HTTP/1.1\r\nHost: app.test\r\n\r\n'], { timeoutMs: 5000 });
      assert.match(raw, /^HTTP\/1\.1 200 /);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 2000, `closed after ${elapsed} ms`);
    } finally {
      await gw.close();
    }
  });

  it('cancels the upstream request when the client goes away mid-download, and keeps serving', async () => {
    const gw = await startGateway(yaml(backend.url));
    try {
      await new Promise<void>((resolve) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port: gw.port,
            path: '/endless',
            headers: { host: 'app.test' },
            rejectUnauthorized: false,
            agent: false,
          },
          (res) => {
            let n = 0;
            res.on('data', (d: Buffer) => {
              n += d.length;
              if (n > 100_000) {
                req.destroy();
                resolve();
              }
            });
          },
        );
        req.on('error', () => {});
        req.end();
      });
      for (let i = 0; i < 50 && upstreamClosed === 0; i++) await sleep(20);
      assert.equal(upstreamClosed, 1);
      assert.equal((await get(gw.port, '/')).status, 200);
    } finally {
      await gw.close();
    }
  });

  it('answers 502 to an HTTP/2 client when the upstream status cannot be forwarded', async () => {
    const weird = createNetServer((s: Socket) => {
      s.once('data', () => s.end('HTTP/1.1 700 Strange\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((r) => weird.listen(0, '127.0.0.1', () => r()));
    const gw = await startGateway(yaml(`http://127.0.0.1:${(weird.address() as { port: number }).port}`));
    const client = h2connect(`https://127.0.0.1:${gw.port}`, { servername: 'app.test', rejectUnauthorized: false });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const s = client.request({ ':path': '/', ':authority': 'app.test' });
        s.on('response', (h) => resolve(Number(h[':status'])));
        s.on('error', reject);
        s.resume();
        s.end();
      });
      assert.equal(status, 502);
      assert.equal((await get(gw.port, '/')).status, 700, 'HTTP/1.1 passes it through');
    } finally {
      client.close();
      await gw.close();
      weird.close();
    }
  });
});
