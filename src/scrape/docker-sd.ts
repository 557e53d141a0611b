/**
 * `docker_sd_configs`: lists containers (with the configured filters) and networks from the Docker Engine API
 * every `refresh_interval`, over the daemon's unix socket or TCP/HTTP(S). A failed refresh is logged and
 * counted, and the last targets stay.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DockerSdConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { ScrapeClock, Timer } from './clock.ts';
import type { Discoverer, TargetGroup } from './discovery.ts';
import { type DockerContainer, type DockerNetwork, dockerTargetGroup } from './docker-targets.ts';
import { authorizationHeader, tlsOptions } from './http-client.ts';
import type { ScrapeStats } from './metrics.ts';
import { DiscoveryError } from './scrape-errors.ts';

/** What a Docker discoverer needs besides its config section. */
export interface DockerDiscovererOptions {
  config: DockerSdConfig;
  clock: ScrapeClock;
  logger: Logger;
  stats: ScrapeStats;
  userAgent: string;
}

/** Responses above this size are refused (a listing of thousands of containers stays far below it). */
const maxResponseBytes = 64 << 20;

/**
 * One `docker_sd_configs` entry: refreshes at start and every `refresh_interval`; each request times out after
 * `refresh_interval`. `close` aborts a refresh in flight.
 */
export class DockerDiscoverer implements Discoverer {
  private onUpdate: ((groups: readonly TargetGroup[]) => void) | undefined;
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly inflight = new Set<AbortController>();

  constructor(private readonly o: DockerDiscovererOptions) {}

  start(onUpdate: (groups: readonly TargetGroup[]) => void): Promise<void> {
    this.onUpdate = onUpdate;
    this.schedule();
    return this.refresh();
  }

  /** Lists containers and networks now; a refresh already running is awaited instead. */
  refresh(): Promise<void> {
    this.running ??= this.list().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    for (const ac of this.inflight) ac.abort();
    await this.running;
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimer(async () => {
      if (this.closed) return;
      await this.refresh();
      if (!this.closed) this.schedule();
    }, this.o.config.refresh_interval);
  }

  private async list(): Promise<void> {
    const c = this.o.config;
    const filters: Record<string, Record<string, boolean>> = {};
    for (const f of c.filters) {
      const values = filters[f.name] ?? {};
      for (const v of f.values) values[v] = true;
      filters[f.name] = values;
    }
    const query = Object.keys(filters).length > 0 ? `?filters=${encodeURIComponent(JSON.stringify(filters))}` : '';
    try {
      const containers = (await this.get(`/containers/json${query}`)) as DockerContainer[];
      const networks = (await this.get('/networks')) as DockerNetwork[];
      if (!Array.isArray(containers) || !Array.isArray(networks)) throw new Error('unexpected response shape');
      const group = dockerTargetGroup(containers, networks, {
        port: c.port,
        hostNetworkingHost: c.host_networking_host,
        matchFirstNetwork: c.match_first_network,
      });
      if (!this.closed) this.onUpdate?.([group]);
    } catch (err) {
      if (this.closed) return;
      this.o.stats.dockerSdRefreshFailures++;
      const e = new DiscoveryError('docker', c.host, (err as Error).message, { cause: err });
      this.o.logger.error('Unable to refresh target groups', { err: e });
    }
  }

  /** GETs an API path and decodes its JSON; rejects on a transport error, a non-200 status or bad JSON. */
  private get(path: string): Promise<unknown> {
    const c = this.o.config;
    const host = new URL(c.host);
    const headers: Record<string, string> = { 'User-Agent': this.o.userAgent, Accept: 'application/json' };
    const ac = new AbortController();
    const opts: RequestOptions = { method: 'GET', path, headers, signal: ac.signal };
    let secure = false;
    if (host.protocol === 'unix:') {
      opts.socketPath = host.pathname;
      opts.host = 'docker';
    } else {
      secure = host.protocol === 'https:';
      opts.host = host.hostname.replace(/^\[(.*)\]$/, '$1');
      opts.port = host.port || (secure ? 443 : 80);
      opts.path = `${host.pathname.replace(/\/$/, '')}${path}`;
      if (host.protocol !== 'tcp:') {
        const auth = authorizationHeader(c);
        if (auth !== undefined) headers.Authorization = auth;
      }
      if (secure) {
        const t = tlsOptions(c.tls_config);
        if ('error' in t) return Promise.reject(new Error(t.error));
        Object.assign(opts, t.options);
      }
    }
    this.inflight.add(ac);
    const timer = this.o.clock.setTimer(() => ac.abort(new Error('context deadline exceeded')), c.refresh_interval);
    return new Promise<unknown>((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)(opts, (res) => {
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (chunk: Buffer) => {
          n += chunk.length;
          if (n > maxResponseBytes) req.destroy(new Error('response too large'));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) {
            reject(new Error(`GET ${path}: status ${res.statusCode}: ${apiMessage(text)}`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`GET ${path}: invalid JSON`));
          }
        });
      });
      req.on('error', (err) => reject(ac.signal.aborted && ac.signal.reason ? ac.signal.reason : err));
      req.end();
    }).finally(() => {
      timer.cancel();
      this.inflight.delete(ac);
    });
  }
}

/** Docker's error body is `{"message": "..."}`. */
function apiMessage(text: string): string {
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof m === 'string') return m;
  } catch {}
  return text.slice(0, 200);
}
