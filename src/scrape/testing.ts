/**
 * Test support for the scrape module (and modules that drive it): a clock whose time moves only when the
 * test says so. Not part of the build's public face.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { parseConfig, type ResolvedScrapeConfig } from '../config/index.ts';
import { isStaleNaN, Matcher } from '../model/index.ts';
import type { Queryable } from '../storage/index.ts';
import type { ScrapeClock, Timer } from './clock.ts';

interface Pending {
  at: number;
  seq: number;
  fn: () => void | Promise<void>;
  cancelled: boolean;
}

/** A manual {@link ScrapeClock}: `advance` runs due timers in time order and awaits the work each started. */
export class FakeClock implements ScrapeClock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimer(fn: () => void | Promise<void>, delayMs: number): Timer {
    const p: Pending = { at: this.t + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.timers.push(p);
    return {
      cancel: () => {
        p.cancelled = true;
      },
    };
  }

  /** Timers not yet run nor cancelled. */
  get pending(): number {
    return this.timers.filter((p) => !p.cancelled).length;
  }

  /**
   * Moves time forward by `ms`, running each timer that comes due (including ones scheduled meanwhile) at its
   * time, one after another, awaiting what each returns (so I/O a callback waits for takes no clock time).
   * Re-entrant: while one `advance` awaits a callback stuck on a timer (a scrape waiting for its timeout),
   * another `advance` can move time on and fire that timer.
   */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((p) => !p.cancelled);
      const due = this.timers.filter((p) => p.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.t = Math.max(this.t, due.at);
      await due.fn();
    }
    this.t = Math.max(this.t, end);
  }
}

/** A config's resolved `scrape_configs`, from prometheus.yml text. Throws ConfigError on a bad config. */
export function scrapeConfigsOf(yaml: string): ResolvedScrapeConfig[] {
  return [...parseConfig(yaml, 'test.yml', {}).scrape_configs];
}

/** What a test server saw of one request. */
export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

/** Handlers by path; a handler may leave the response open (a target slower than any timeout). */
export type Routes = Record<string, (req: IncomingMessage, res: ServerResponse) => void>;

/** An HTTP server on 127.0.0.1 at a free port, answering from `routes` (mutable), 404 otherwise. */
export class TestServer {
  readonly seen: SeenRequest[] = [];
  private readonly waiters: Array<{ path: string; resolve: () => void }> = [];
  private server: Server | undefined;
  private readonly open = new Set<ServerResponse>();

  constructor(readonly routes: Routes) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      this.seen.push({ path, headers: req.headers });
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      for (const w of this.waiters.filter((x) => x.path === path)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
      const route = this.routes[path];
      if (route === undefined) res.writeHead(404).end('not found\n');
      else route(req, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** `127.0.0.1:port`. */
  get address(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (a === undefined) throw new Error('TestServer: not started');
    return `127.0.0.1:${a.port}`;
  }

  /** Resolves at the next request for `path`. */
  nextRequest(path: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ path, resolve }));
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Serves `body` as text 0.0.4 (or with `contentType`), gzipped when `gzip`. */
export function serve(body: () => string, options: { contentType?: string; gzip?: boolean } = {}): Routes[string] {
  return (_req, res) => {
    const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'text/plain; version=0.0.4' };
    let data: Buffer = Buffer.from(body());
    if (options.gzip) {
      headers['Content-Encoding'] = 'gzip';
      data = gzipSync(data);
    }
    res.writeHead(200, headers).end(data);
  };
}

/** Every series in `storage` as `labels → [[t, v], …]`, staleness markers written as the string 'stale'. */
export function dump(storage: Queryable): Map<string, Array<[number, number | 'stale']>> {
  const q = storage.querier(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const set = q.select(true, undefined, [Matcher.create('=~', '__name__', '.+')]);
  const out = new Map<string, Array<[number, number | 'stale']>>();
  while (set.next()) {
    const s = set.at();
    const c = s.cursor();
    const samples: Array<[number, number | 'stale']> = [];
    while (c.next()) samples.push([c.atT(), isStaleNaN(c.atV()) ? 'stale' : c.atV()]);
    out.set(s.labels.toString(), samples);
  }
  q.close();
  return out;
}
