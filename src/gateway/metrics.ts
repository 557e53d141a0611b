/** The gateway's metrics, registered once on the registry passed in; sites come and go with reloads. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SiteTable } from './site.ts';

export interface CertificateInfo {
  readonly site: string;
  readonly selfSigned: boolean;
  /** Unix ms. */
  readonly notAfterMs: number;
}

/** Per-site handles resolved once, so a request does no label hashing for them. */
export interface SiteMetrics {
  readonly duration: { observe(seconds: number): void };
  readonly requestBytes: { inc(n: number): void };
  readonly responseBytes: { inc(n: number): void };
  /** Increments `requests_total` for a status code. */
  request(status: number): void;
}

export class GatewayMetrics {
  private readonly requests: Counter<'site' | 'code'>;
  private readonly duration: Histogram<'site'>;
  private readonly requestBytes: Counter<'site'>;
  private readonly responseBytes: Counter<'site'>;
  readonly clientErrors: Counter<'reason'>;
  readonly upstreamErrors: Counter<'upstream' | 'reason'>;
  /** Inspected requests by site and outcome: `blocked`, `detected` (rules matched, not stopped), `passed`. */
  readonly wafRequests: Counter<'site' | 'action'>;
  readonly wafRuleMatches: Counter<'site' | 'rule_id'>;
  private readonly perSite = new Map<string, SiteMetrics>();

  constructor(registry: Registry, sites: () => SiteTable | undefined, certificates: () => readonly CertificateInfo[]) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'vigil_gateway_requests_total',
      help: 'Requests answered by the gateway, by site and status code.',
      labelNames: ['site', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'vigil_gateway_request_duration_seconds',
      help: 'Time from the request head to the end of the response, by site.',
      labelNames: ['site'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.requestBytes = new Counter({
      name: 'vigil_gateway_request_body_bytes_total',
      help: 'Request body bytes received from clients, by site.',
      labelNames: ['site'],
      registers,
    });
    this.responseBytes = new Counter({
      name: 'vigil_gateway_response_body_bytes_total',
      help: 'Response body bytes received from upstreams, by site.',
      labelNames: ['site'],
      registers,
    });
    this.clientErrors = new Counter({
      name: 'vigil_gateway_client_errors_total',
      help: 'Client connections or requests refused before reaching a site (malformed, too large, too slow).',
      labelNames: ['reason'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'vigil_gateway_upstream_errors_total',
      help: 'Upstream requests that failed (refused, timeout, reset).',
      labelNames: ['upstream', 'reason'],
      registers,
    });
    this.wafRequests = new Counter({
      name: 'vigil_waf_requests_total',
      help: 'Requests inspected by the WAF, by site and action (blocked, detected, passed).',
      labelNames: ['site', 'action'],
      registers,
    });
    this.wafRuleMatches = new Counter({
      name: 'vigil_waf_rule_matches_total',
      help: 'WAF rule matches, by site and rule id (a rule counts once per request).',
      labelNames: ['site', 'rule_id'],
      registers,
    });
    new Gauge({
      name: 'vigil_gateway_upstream_up',
      help: 'Whether the upstream is taking requests (1) or skipped as unhealthy (0).',
      labelNames: ['upstream'],
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const u of sites()?.upstreams.values() ?? []) this.set({ upstream: u.url }, u.available(now) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'vigil_gateway_upstream_requests_in_flight',
      help: 'Requests in flight to the upstream.',
      labelNames: ['upstream'],
      registers,
      collect() {
        this.reset();
        for (const u of sites()?.upstreams.values() ?? []) this.set({ upstream: u.url }, u.active);
      },
    });
    new Gauge({
      name: 'vigil_gateway_certificate_expiry_timestamp_seconds',
      help: "Unix time at which the site's certificate expires.",
      labelNames: ['site', 'self_signed'],
      registers,
      collect() {
        this.reset();
        for (const c of certificates()) {
          this.set({ site: c.site, self_signed: String(c.selfSigned) }, c.notAfterMs / 1000);
        }
      },
    });
  }

  private readonly wafChildren = new Map<string, { inc(): void }>();

  /** Counts one inspected request (`vigil_waf_requests_total`), label children kept per site and action. */
  wafRequest(site: string, action: string): void {
    const key = `${action}\u0000${site}`;
    let c = this.wafChildren.get(key);
    if (c === undefined) {
      c = this.wafRequests.labels(site, action);
      this.wafChildren.set(key, c);
    }
    c.inc();
  }

  site(name: string): SiteMetrics {
    let m = this.perSite.get(name);
    if (m === undefined) {
      const byCode = new Map<number, { inc(): void }>();
      const requests = this.requests;
      m = {
        duration: this.duration.labels(name),
        requestBytes: this.requestBytes.labels(name),
        responseBytes: this.responseBytes.labels(name),
        request(status) {
          let c = byCode.get(status);
          if (c === undefined) {
            c = requests.labels(name, String(status));
            byCode.set(status, c);
          }
          c.inc();
        },
      };
      this.perSite.set(name, m);
    }
    return m;
  }
}
