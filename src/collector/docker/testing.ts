/**
 * Test support: a Docker Engine API double on a unix socket (or TCP), answering like dockerd from recorded or
 * hand-made container records, streaming events on demand, and misbehaving on request. Not part of the build.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The recorded answers of a real dockerd (`../shared/containers/samples/`), read in place. */
export const samplesDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/containers/samples');
export const haveSamples = existsSync(join(samplesDir, 'docker-api-containers.json'));

export function readSample(name: string): unknown {
  return JSON.parse(readFileSync(join(samplesDir, name), 'utf8'));
}

/** A handler that takes a request over; return true when it answered. */
export type Override = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;

type Json = Record<string, unknown>;

/** A fresh temp dir and a socket path in it; `cleanup` removes the dir. */
export function tempSocket(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-docker-'));
  return { path: join(dir, 'docker.sock'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export class FakeDockerd {
  /** `/version`'s answer. */
  version: unknown = { Version: 'fake', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' };
  /** Inspect records by id; `/containers/json` lists the running ones, summarized. */
  readonly containers = new Map<string, Json>();
  /** First matching override answers instead of the daemon. */
  readonly overrides: Override[] = [];
  /** Paths (with query) of every request received. */
  readonly requests: string[] = [];
  /** Connections accepted. */
  connections = 0;
  /** Open event streams. */
  readonly streams = new Set<ServerResponse>();
  private server: Server | undefined;
  private streamWaiters: Array<{ n: number; resolve: () => void }> = [];
  private streamsOpened = 0;

  /** Listens on `socket` (a path) or, without one, on 127.0.0.1 port 0. */
  async start(socket?: string): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((ok) => {
      if (socket === undefined) this.server?.listen(0, '127.0.0.1', ok);
      else this.server?.listen(socket, ok);
    });
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | undefined)?.port ?? 0;
  }

  /** Adds a container from an inspect record (its `Id` is the key). */
  add(inspect: Json): void {
    this.containers.set(inspect.Id as string, inspect);
  }

  /** Sends an event (an object, or raw text as is) to every open stream. */
  emit(event: Json | string): void {
    const text = typeof event === 'string' ? event : `${JSON.stringify(event)}\n`;
    for (const s of this.streams) s.write(text);
  }

  /** Cuts every open event stream, as a daemon that goes away does. */
  dropStreams(): void {
    for (const s of this.streams) s.socket?.destroy();
    this.streams.clear();
  }

  /** Resolves once `n` event streams have been opened in total since start. */
  streamOpened(n: number): Promise<void> {
    if (this.streamsOpened >= n) return Promise.resolve();
    return new Promise((resolve) => this.streamWaiters.push({ n, resolve }));
  }

  get openedStreams(): number {
    return this.streamsOpened;
  }

  async close(): Promise<void> {
    this.dropStreams();
    this.server?.closeAllConnections();
    await new Promise((ok) => this.server?.close(ok));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    this.requests.push(`${url.pathname}${url.search}`);
    for (const o of this.overrides) if (o(req, res, url)) return;
    const path = url.pathname.replace(/^\/v1\.\d+/, '');
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
    };
    const m = /^\/containers\/([^/]+)\/json$/.exec(path);
    if (path === '/version') {
      reply(200, this.version);
    } else if (path === '/containers/json') {
      const all = url.searchParams.get('all') === '1' || url.searchParams.get('all') === 'true';
      reply(200, [...this.containers.values()].filter((c) => all || running(c)).map(summary));
    } else if (m !== null) {
      const key = decodeURIComponent(m[1] as string);
      const c = this.containers.get(key) ?? [...this.containers.values()].find((x) => x.Name === `/${key}`);
      if (c === undefined) reply(404, { message: `No such container: ${key}` });
      else reply(200, c);
    } else if (path === '/events') {
      this.openStream(res);
    } else {
      reply(404, { message: 'page not found' });
    }
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
    this.streamsOpened++;
    this.streamWaiters = this.streamWaiters.filter((w) => {
      if (this.streamsOpened < w.n) return true;
      w.resolve();
      return false;
    });
  }
}

function running(c: Json): boolean {
  return (c.State as Json | undefined)?.Running === true;
}

function summary(c: Json): Json {
  const config = (c.Config ?? {}) as Json;
  return {
    Id: c.Id,
    Names: [c.Name],
    Image: config.Image,
    Labels: config.Labels ?? {},
    State: (c.State as Json | undefined)?.Status ?? 'running',
    Created: Math.floor(Date.parse(String(c.Created)) / 1000),
  };
}

/** A minimal inspect record as dockerd 20.10 writes it. */
export function inspectRecord(
  id: string,
  name: string,
  more: { image?: string; labels?: Record<string, string>; pid?: number; health?: string; restarts?: number } = {},
): Json {
  const state: Json = {
    Status: 'running',
    Running: true,
    Pid: more.pid ?? 4242,
    StartedAt: '2026-11-23T23:19:43.262930138Z',
    FinishedAt: '0001-01-01T00:00:00Z',
  };
  if (more.health !== undefined) state.Health = { Status: more.health, FailingStreak: 0, Log: [] };
  return {
    Id: id,
    Created: '2026-11-23T23:19:42.914391088Z',
    Name: `/${name}`,
    RestartCount: more.restarts ?? 0,
    State: state,
    Config: { Image: more.image ?? 'busybox:1.36', Labels: more.labels ?? {} },
  };
}

/** An event as dockerd 20.10 sends it. */
export function containerEvent(action: string, id: string, attributes: Record<string, string> = {}): Json {
  const t = Date.UTC(2026, 10, 23, 23, 20);
  return {
    status: action,
    id,
    from: attributes.image ?? 'busybox:1.36',
    Type: 'container',
    Action: action,
    Actor: { ID: id, Attributes: attributes },
    scope: 'local',
    time: Math.floor(t / 1000),
    timeNano: t * 1e6,
  };
}

/** A 64-hex id made from a short tag (`id('a')` = `aaaa…`). */
export function hexId(tag: string): string {
  return tag.repeat(Math.ceil(64 / tag.length)).slice(0, 64);
}
