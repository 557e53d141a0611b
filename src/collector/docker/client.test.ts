import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DockerEvent } from './api-types.ts';
import { DockerClient } from './client.ts';
import { type DockerClock, systemClock } from './clock.ts';
import {
  DockerClosedError,
  type DockerError,
  DockerOptionError,
  DockerResponseError,
  DockerResponseTooLargeError,
  DockerStatusError,
  DockerTimeoutError,
  DockerUnreachableError,
  isNotFound,
} from './errors.ts';
import { parseDockerHost } from './host.ts';
import { containerEvent, FakeDockerd, haveSamples, hexId, samplesDir, tempSocket } from './testing.ts';

const memId = '6985cfdfac2386c0ac6376df888d4f7072ce6a53ec804ba89e2efef81006001f';

/** Resolves when `cond` holds, checking after each turn of I/O; fails after `ms`. */
async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function unixClient(socket: string, more: Partial<ConstructorParameters<typeof DockerClient>[0]> = {}): DockerClient {
  return new DockerClient({ endpoint: parseDockerHost(`unix://${socket}`), ...more });
}

describe('DockerClient against recorded dockerd answers', {
  skip: !haveSamples && 'no ../shared/containers/samples',
}, () => {
  const sock = tempSocket();
  const fake = new FakeDockerd();
  let client: DockerClient;

  before(async () => {
    // The recorded bodies go out byte for byte; anything else gets dockerd's 404.
    const recorded: Record<string, string> = {
      '/version': 'docker-api-version.json',
      '/containers/json': 'docker-api-containers.json',
      [`/containers/${memId}/json`]: 'docker-api-container-vigil-mem.json',
      '/containers/vigil-mem/json': 'docker-api-container-vigil-mem.json',
    };
    fake.overrides.push((_req, res, url) => {
      const file = recorded[url.pathname];
      if (file === undefined) return false;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(readFileSync(join(samplesDir, file)));
      return true;
    });
    await fake.start(sock.path);
    client = unixClient(sock.path);
  });
  after(async () => {
    await client.close();
    await fake.close();
    sock.cleanup();
  });

  it('reads /version', async () => {
    const v = await client.version();
    assert.equal(v.version, '20.10.24+dfsg1');
    assert.equal(v.apiVersion, '1.41');
    assert.equal(v.minApiVersion, '1.12');
    assert.equal(v.os, 'linux');
    assert.equal(v.kernelVersion, '6.18.44-fc-v657');
  });

  it('lists the three test containers', async () => {
    const list = await client.listContainers();
    assert.deepEqual(
      list.map((c) => c.names[0]),
      ['/vigil-net', '/vigil-mem', '/vigil-cpu'],
    );
    const mem = list[1];
    assert.equal(mem?.id, memId);
    assert.equal(mem?.image, 'vigil-test/busybox:latest');
    assert.equal(mem?.state, 'running');
    assert.equal(mem?.labels['com.docker.compose.service'], 'mem');
    assert.equal(mem?.createdMs, 1795475982000);
  });

  it('inspects by id and by name', async () => {
    const byId = await client.inspect(memId);
    assert.equal(byId.Id, memId);
    assert.equal(byId.Name, '/vigil-mem');
    assert.deepEqual(await client.inspect('vigil-mem'), byId);
  });

  it('gives a 404 with Docker’s message for an unknown container', async () => {
    const id = hexId('0');
    await assert.rejects(client.inspect(id), (err: unknown) => {
      assert.ok(err instanceof DockerStatusError);
      assert.equal(err.code, 'DOCKER_STATUS');
      assert.equal(err.status, 404);
      assert.equal(err.dockerMessage, `No such container: ${id}`);
      assert.ok(isNotFound(err));
      return true;
    });
  });

  it('keeps its connection across answers, error answers included', async () => {
    const c = unixClient(sock.path);
    const before = fake.connections;
    for (let i = 0; i < 10; i++) {
      await c.inspect(hexId(String(i))).catch(() => {});
      await c.version();
    }
    assert.equal(fake.connections - before, 1);
    await c.close();
  });

  it('asks with unversioned paths and escapes ids', async () => {
    await client.inspect('a/b').catch(() => {});
    assert.ok(fake.requests.includes('/containers/a%2Fb/json'));
    assert.ok(fake.requests.every((p) => !p.startsWith('/v1.')));
  });
});

describe('DockerClient when the daemon misbehaves', () => {
  const sock = tempSocket();
  const fake = new FakeDockerd();
  let client: DockerClient;
  const big = JSON.stringify({ Id: 'x', Pad: 'p'.repeat(10_000) });

  before(async () => {
    fake.overrides.push((_req, res, url) => {
      const m = /^\/containers\/([^/]+)\/json$/.exec(url.pathname);
      switch (m?.[1]) {
        case 'e500':
          res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"driver failed"}\n');
          return true;
        case 'eplain':
          res.writeHead(502).end('Bad Gateway from a proxy');
          return true;
        case 'badjson':
          res.writeHead(200).end('{"Id": "x", ');
          return true;
        case 'shape':
          res.writeHead(200).end('[1,2]');
          return true;
        case 'silent':
          return true; // never answers
        case 'stall':
          res.writeHead(200);
          res.write('{"Id":');
          return true; // body never ends
        case 'huge':
          res.writeHead(200);
          res.write(big.slice(0, 3000));
          res.end(big.slice(3000));
          return true;
        case 'hugelen':
          res.writeHead(200, { 'Content-Length': String(big.length) }).end(big);
          return true;
        case 'cut':
          res.writeHead(200, { 'Content-Length': '1000' });
          res.write('{"Id":"x",');
          setTimeout(() => res.socket?.destroy(), 10);
          return true;
        default:
          return false;
      }
    });
    await fake.start(sock.path);
    client = unixClient(sock.path, { requestTimeoutMs: 150, maxResponseBytes: 4096 });
  });
  after(async () => {
    await client.close();
    await fake.close();
    sock.cleanup();
  });

  const cases: Array<[string, string, (err: unknown) => boolean]> = [
    [
      'a 500 with Docker’s message',
      'e500',
      (e) => e instanceof DockerStatusError && e.status === 500 && e.dockerMessage === 'driver failed',
    ],
    [
      'a non-JSON error body',
      'eplain',
      (e) => e instanceof DockerStatusError && e.status === 502 && e.dockerMessage === 'Bad Gateway from a proxy',
    ],
    ['malformed JSON', 'badjson', (e) => e instanceof DockerResponseError && e.code === 'DOCKER_BAD_RESPONSE'],
    ['JSON of the wrong shape', 'shape', (e) => e instanceof DockerResponseError && /unexpected shape/.test(e.message)],
    ['no answer at all', 'silent', (e) => e instanceof DockerTimeoutError && e.timeoutMs === 150],
    ['a body that never ends', 'stall', (e) => e instanceof DockerTimeoutError],
    ['a body over the limit', 'huge', (e) => e instanceof DockerResponseTooLargeError && e.limitBytes === 4096],
    ['a Content-Length over the limit', 'hugelen', (e) => e instanceof DockerResponseTooLargeError],
    [
      'a connection cut mid-body',
      'cut',
      (e) => e instanceof DockerUnreachableError && /connection lost/.test(e.message),
    ],
  ];
  for (const [name, id, check] of cases) {
    it(`rejects ${name} with a typed error`, async () => {
      await assert.rejects(client.inspect(id), check);
    });
  }

  it('still works after all that', async () => {
    fake.add({ Id: 'ok', Name: '/ok' });
    assert.equal((await client.inspect('ok')).Name, '/ok');
  });

  it('reports a missing socket as unreachable', async () => {
    const c = unixClient(`${sock.path}.missing`);
    await assert.rejects(c.version(), (err: unknown) => {
      assert.ok(err instanceof DockerUnreachableError);
      assert.equal((err.cause as NodeJS.ErrnoException).code, 'ENOENT');
      assert.match(err.message, /GET \/version on unix:\/\/.*missing/);
      return true;
    });
    await c.close();
  });

  it('reports a refused TCP connection as unreachable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const c = new DockerClient({ endpoint: parseDockerHost(`tcp://127.0.0.1:${port}`) });
    await assert.rejects(
      c.listContainers(),
      (e: unknown) => e instanceof DockerUnreachableError && (e.cause as NodeJS.ErrnoException).code === 'ECONNREFUSED',
    );
    await c.close();
  });

  it('fails requests in flight and later ones once closed', async () => {
    const c = unixClient(sock.path, { requestTimeoutMs: 5000 });
    const asked = () => fake.requests.filter((p) => p === '/containers/silent/json').length;
    const before = asked();
    const pending = c.inspect('silent');
    pending.catch(() => {});
    await until(() => asked() > before, 'the request');
    await c.close();
    await assert.rejects(pending, DockerClosedError);
    await assert.rejects(c.version(), (e: unknown) => e instanceof DockerClosedError && e.code === 'DOCKER_CLOSED');
    await c.close();
  });

  it('refuses bad options, naming them', () => {
    const endpoint = parseDockerHost('unix:///x');
    assert.throws(
      () => new DockerClient({ endpoint, requestTimeoutMs: 0 }),
      (e: unknown) => e instanceof DockerOptionError && e.field === 'requestTimeoutMs',
    );
    assert.throws(() => new DockerClient({ endpoint, maxResponseBytes: Number.NaN }), /maxResponseBytes/);
    assert.throws(() => new DockerClient({ endpoint, eventRetryInitialMs: 10, eventRetryMaxMs: 5 }), /eventRetryMaxMs/);
  });
});

describe('DockerClient over TCP', () => {
  const fake = new FakeDockerd();
  before(() => fake.start());
  after(() => fake.close());

  it('talks plain HTTP, with the base path before every API path', async () => {
    const c = new DockerClient({ endpoint: parseDockerHost(`tcp://127.0.0.1:${fake.port}`) });
    assert.equal((await c.version()).apiVersion, '1.41');
    await c.close();
    const based = new DockerClient({ endpoint: parseDockerHost(`tcp://127.0.0.1:${fake.port}/base/`) });
    await assert.rejects(based.version(), (e: unknown) => e instanceof DockerStatusError && e.status === 404);
    assert.equal(fake.requests.at(-1), '/base/version');
    await based.close();
  });
});

describe('DockerClient.events', () => {
  const sock = tempSocket();
  const fake = new FakeDockerd();
  /** Delays asked of the clock, to see the backoff. */
  const delays: number[] = [];
  const clock: DockerClock = {
    now: () => systemClock.now(),
    setTimer: (fn, ms) => {
      delays.push(ms);
      return systemClock.setTimer(fn, ms);
    },
  };
  const timeoutMs = 400;
  let client: DockerClient;

  before(async () => {
    await fake.start(sock.path);
    client = unixClient(sock.path, {
      clock,
      requestTimeoutMs: timeoutMs,
      eventRetryInitialMs: 10,
      eventRetryMaxMs: 40,
      maxEventBytes: 1024,
    });
  });
  after(async () => {
    await client.close();
    await fake.close();
    sock.cleanup();
  });

  function subscribe() {
    const events: DockerEvent[] = [];
    const errors: DockerError[] = [];
    let connects = 0;
    const sub = client.events(
      (e) => events.push(e),
      (e) => errors.push(e),
      () => connects++,
    );
    return { sub, events, errors, connects: () => connects };
  }

  it('delivers events sent over time, whole, split or several per chunk', async () => {
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    await until(() => s.connects() === 1 && s.sub.connected, 'onConnected');
    assert.ok(fake.requests.includes('/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D'));
    const a = hexId('a');
    const b = hexId('b');
    fake.emit(containerEvent('start', a, { name: 'web', image: 'nginx' }));
    await until(() => s.events.length === 1, 'the first event');
    const two = `${JSON.stringify(containerEvent('die', a))}\n${JSON.stringify(containerEvent('destroy', a))}\n`;
    fake.emit(two);
    const split = JSON.stringify(containerEvent('health_status: healthy', b));
    fake.emit(split.slice(0, 20));
    await new Promise((r) => setTimeout(r, 20));
    fake.emit(`${split.slice(20)}\n`);
    await until(() => s.events.length === 4, 'four events');
    assert.deepEqual(
      s.events.map((e) => [e.action, e.id.slice(0, 1)]),
      [
        ['start', 'a'],
        ['die', 'a'],
        ['destroy', 'a'],
        ['health_status: healthy', 'b'],
      ],
    );
    assert.deepEqual(s.events[0]?.attributes, { name: 'web', image: 'nginx' });
    assert.equal(s.events[0]?.type, 'container');
    assert.equal(s.events[0]?.timeMs, Date.UTC(2026, 10, 23, 23, 20));
    assert.deepEqual(s.errors, []);
    await s.sub.close();
  });

  it('reports a malformed line or an event without an id, and keeps the stream', async () => {
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    fake.emit('{"Type":"container",\n');
    fake.emit('{"Type":"container","Action":"start"}\n\n');
    fake.emit(containerEvent('start', hexId('c')));
    await until(() => s.events.length === 1, 'the good event');
    assert.equal(s.errors.length, 2);
    assert.ok(s.errors.every((e) => e instanceof DockerResponseError));
    assert.equal(fake.openedStreams, opened + 1);
    await s.sub.close();
  });

  it('reconnects after the daemon closes the stream mid-way, with backoff', async () => {
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    fake.emit(containerEvent('start', hexId('1')));
    await until(() => s.events.length === 1, 'an event before the cut');
    delays.length = 0;
    fake.dropStreams();
    await fake.streamOpened(opened + 2);
    await until(() => s.connects() === 2, 'the second onConnected');
    assert.equal(s.errors.length, 1);
    assert.ok(s.errors[0] instanceof DockerUnreachableError);
    assert.match(s.errors[0]?.message ?? '', /event stream closed by the daemon/);
    assert.ok(delays.includes(10), `retry delays ${delays}`);
    fake.emit(containerEvent('start', hexId('2')));
    await until(() => s.events.length === 2, 'an event after the reconnect');
    await s.sub.close();
  });

  it('retries a refused stream with growing delays, then connects', async () => {
    let refusals = 3;
    const refuse = (_req: unknown, res: import('node:http').ServerResponse, url: URL) => {
      if (url.pathname !== '/events' || refusals === 0) return false;
      refusals--;
      res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"message":"events are broken"}');
      return true;
    };
    fake.overrides.push(refuse);
    delays.length = 0;
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    fake.overrides.splice(fake.overrides.indexOf(refuse), 1);
    assert.equal(s.errors.length, 3);
    assert.ok(s.errors.every((e) => e instanceof DockerStatusError && e.dockerMessage === 'events are broken'));
    assert.deepEqual(
      delays.filter((d) => d !== timeoutMs),
      [10, 20, 40],
    );
    await s.sub.close();
  });

  it('drops an oversized event line and reconnects', async () => {
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    fake.emit(`{"Type":"container","pad":"${'x'.repeat(2000)}"}\n`);
    await fake.streamOpened(opened + 2);
    assert.ok(s.errors[0] instanceof DockerResponseTooLargeError);
    await s.sub.close();
  });

  it('times out a stream whose headers never come', async () => {
    let silent = true;
    const hang = (_req: unknown, _res: unknown, url: URL) => url.pathname === '/events' && silent;
    fake.overrides.push(hang);
    const s = subscribe();
    await until(() => s.errors.length >= 1, 'the timeout');
    assert.ok(s.errors[0] instanceof DockerTimeoutError);
    silent = false;
    await until(() => s.sub.connected, 'the reconnect');
    fake.overrides.splice(fake.overrides.indexOf(hang), 1);
    await s.sub.close();
  });

  it('stops for good on close: no reconnect, no callback', async () => {
    const opened = fake.openedStreams;
    const s = subscribe();
    await fake.streamOpened(opened + 1);
    await s.sub.close();
    await s.sub.close();
    assert.equal(s.sub.connected, false);
    fake.emit(containerEvent('start', hexId('9')));
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(fake.openedStreams, opened + 1);
    assert.deepEqual(s.events, []);
    assert.deepEqual(s.errors, []);
  });

  it('keeps retrying at the slow pace while the socket is missing', async () => {
    const c = unixClient(`${sock.path}.gone`, { eventRetryInitialMs: 5, eventRetryMaxMs: 20 });
    const errors: DockerError[] = [];
    const sub = c.events(
      () => {},
      (e) => errors.push(e),
    );
    await until(() => errors.length >= 4, 'four failed attempts');
    assert.ok(errors.every((e) => e instanceof DockerUnreachableError));
    await c.close();
    const n = errors.length;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(errors.length, n);
    assert.equal(sub.connected, false);
  });
});
