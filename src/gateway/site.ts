/** Sites compiled from the config: host lookup (exact, `*.suffix`, `*`) and routes by longest path prefix. */
import type { GatewayConfig, GatewaySiteConfig, GatewayUpstreamConfig } from '../config/index.ts';
import { type Balancer, balancers, Upstream } from './upstream.ts';

export interface Route {
  /** Path prefix; `/` for the site's own upstreams. */
  readonly prefix: string;
  readonly balancer: Balancer;
  readonly maxBodyBytes: number;
}

export class Site {
  /** The first host: the site's name in metrics, logs and certificate files. */
  readonly name: string;
  /** Longest prefix first; the last is `/`. */
  readonly routes: readonly Route[];

  constructor(
    readonly config: GatewaySiteConfig,
    routes: Route[],
  ) {
    this.name = config.hosts[0] as string;
    this.routes = routes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The route for a request path (never undefined: `/` matches every path). */
  route(path: string): Route {
    for (const r of this.routes) if (path.startsWith(r.prefix)) return r;
    return this.routes[this.routes.length - 1] as Route;
  }
}

/** The lower-case host name of a `Host` header or `:authority` without port or trailing dot. */
export function hostOnly(host: string): string {
  let h = host;
  if (h.charCodeAt(0) === 91 /* [ */) {
    const end = h.indexOf(']');
    h = end < 0 ? h : h.slice(1, end);
  } else {
    const colon = h.indexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
  }
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h.toLowerCase();
}

/** Every site of a config, and the upstreams they share (one pool per distinct URL). */
export class SiteTable {
  readonly sites: readonly Site[];
  readonly upstreams: ReadonlyMap<string, Upstream>;
  private readonly exact = new Map<string, Site>();
  private readonly suffix = new Map<string, Site>();
  private readonly any: Site | undefined;

  constructor(config: GatewayConfig) {
    const upstreams = new Map<string, Upstream>();
    const upstream = (c: GatewayUpstreamConfig) => {
      const origin = new URL(c.url).origin;
      const key = c.insecure_skip_verify ? `${origin} insecure` : origin;
      let u = upstreams.get(key);
      if (u === undefined) {
        u = new Upstream({
          url: origin,
          idleConnections: config.limits.upstream_idle_connections,
          connectTimeoutMs: config.limits.upstream_connect_timeout,
          insecureSkipVerify: c.insecure_skip_verify,
        });
        upstreams.set(key, u);
      }
      return u;
    };
    const sites: Site[] = [];
    let any: Site | undefined;
    for (const s of config.sites) {
      const siteMax = s.max_body_bytes ?? config.limits.max_body_bytes;
      const routes: Route[] = s.routes.map((r) => ({
        prefix: r.path,
        balancer: balancers[r.balance ?? s.balance](r.upstreams.map(upstream)),
        maxBodyBytes: r.max_body_bytes ?? siteMax,
      }));
      if (!s.routes.some((r) => r.path === '/')) {
        routes.push({
          prefix: '/',
          balancer: balancers[s.balance](s.upstreams.map(upstream)),
          maxBodyBytes: siteMax,
        });
      }
      const site = new Site(s, routes);
      sites.push(site);
      for (const h of s.hosts) {
        if (h === '*') any = site;
        else if (h.startsWith('*.')) this.suffix.set(h.slice(1), site);
        else this.exact.set(h, site);
      }
    }
    this.sites = sites;
    this.upstreams = upstreams;
    this.any = any;
  }

  /** The site for a host name (already `hostOnly`), or undefined when none serves it. */
  lookup(host: string): Site | undefined {
    const s = this.exact.get(host);
    if (s !== undefined) return s;
    const dot = host.indexOf('.');
    if (dot > 0) {
      const w = this.suffix.get(host.slice(dot));
      if (w !== undefined) return w;
    }
    return this.any;
  }

  close(): void {
    for (const u of this.upstreams.values()) u.close();
  }
}
