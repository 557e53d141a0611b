/**
 * The data of `/api/v1/targets`, `/api/v1/targets/metadata` and `/api/v1/metadata` in Prometheus 2.42's JSON
 * shapes (the `data` member of the API envelope). The HTTP routes parse the query and wrap these.
 */
import type { MetricType } from '../exposition/index.ts';
import type { Labels, Matcher } from '../model/index.ts';
import type { TargetRetriever } from './manager.ts';
import { splitHostPort } from './populate.ts';
import type { Target, TargetHealth } from './target.ts';

/** An active target as `/api/v1/targets` lists it. */
export interface ActiveTargetJson {
  discoveredLabels: Record<string, string>;
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  /** '' when the last scrape succeeded. */
  lastError: string;
  /** RFC 3339 in UTC; Go's zero time `0001-01-01T00:00:00Z` before the first scrape. */
  lastScrape: string;
  /** Seconds. */
  lastScrapeDuration: number;
  health: TargetHealth;
  scrapeInterval: string;
  scrapeTimeout: string;
}

/** The `data` of `/api/v1/targets`. */
export interface TargetDiscoveryJson {
  activeTargets: ActiveTargetJson[];
  droppedTargets: Array<{ discoveredLabels: Record<string, string> }>;
}

/** How this server is reached from outside, to rewrite loopback targets' URLs into `globalUrl`. */
export interface GlobalUrlOptions {
  /** The listen address, `host:port`. */
  listenAddress: string;
  /** The externally reachable `host:port` (of `--web.external-url`). */
  host: string;
  /** The externally reachable scheme. */
  scheme: string;
}

/**
 * `/api/v1/targets`. `state` (case-insensitive) `active` or `dropped` limits the lists, '' or `any` shows both,
 * anything else shows none (as Prometheus). Jobs in name order, targets by URL.
 */
export function targetsApi(r: TargetRetriever, state = '', globalUrl?: GlobalUrlOptions): TargetDiscoveryJson {
  const s = state.toLowerCase();
  const showActive = s === '' || s === 'any' || s === 'active';
  const showDropped = s === '' || s === 'any' || s === 'dropped';
  const out: TargetDiscoveryJson = { activeTargets: [], droppedTargets: [] };
  if (showActive) {
    for (const [pool, targets] of r.targetsActive()) {
      for (const t of targets) out.activeTargets.push(activeTarget(pool, t, globalUrl));
    }
  }
  if (showDropped) {
    for (const dropped of r.targetsDropped().values()) {
      for (const d of dropped) out.droppedTargets.push({ discoveredLabels: d.toObject() });
    }
  }
  return out;
}

function activeTarget(pool: string, t: Target, g: GlobalUrlOptions | undefined): ActiveTargetJson {
  return {
    discoveredLabels: t.discoveredLabels.toObject(),
    labels: t.publicLabels().toObject(),
    scrapePool: pool,
    scrapeUrl: t.url(),
    globalUrl: g === undefined ? t.url() : globalTargetUrl(t.url(), g),
    lastError: t.lastError?.message ?? '',
    lastScrape: goTime(t.lastScrapeMs),
    lastScrapeDuration: t.lastScrapeDurationMs / 1000,
    health: t.health,
    scrapeInterval: t.labels.get('__scrape_interval__'),
    scrapeTimeout: t.labels.get('__scrape_timeout__'),
  };
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Prometheus' `getGlobalURL`: a loopback target on our own port becomes our external scheme and host; another
 * loopback target keeps its port on our external host name.
 */
export function globalTargetUrl(scrapeUrl: string, g: GlobalUrlOptions): string {
  const m = /^([a-z]+):\/\/([^/?]*)(.*)$/.exec(scrapeUrl);
  if (m === null) return scrapeUrl;
  const hp = splitHostPort(m[2] as string);
  if (hp === null || !loopback.has(hp.host)) return scrapeUrl;
  const own = splitHostPort(g.listenAddress);
  if (own !== null && own.port === hp.port) return `${g.scheme}://${g.host}${m[3]}`;
  const ext = splitHostPort(g.host);
  if (ext === null) return scrapeUrl;
  const host = ext.host.includes(':') ? `[${ext.host}]` : ext.host;
  return `${m[1]}://${host}:${hp.port}${m[3]}`;
}

/** Go's `time.Time` JSON (RFC 3339 with trailing zeros of the fraction trimmed), in UTC. */
function goTime(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z';
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

/** One entry of `/api/v1/targets/metadata`; `metric` is left out when the query named one. */
export interface TargetMetadataJson {
  target: Record<string, string>;
  metric?: string;
  type: MetricType;
  help: string;
  unit: string;
}

/** The query parameters of the metadata APIs, parsed by the route. */
export interface MetadataQuery {
  /** `match_target`, parsed: targets whose labels match all. */
  matchTarget?: readonly Matcher[];
  /** `metric`: one metric family only. */
  metric?: string;
  /** `limit`: at most this many entries (targets API) or metrics (metadata API); negative or absent: all. */
  limit?: number;
}

/** `/api/v1/targets/metadata`, as Prometheus 2.42 builds it. */
export function targetsMetadataApi(r: TargetRetriever, q: MetadataQuery = {}): TargetMetadataJson[] {
  const limit = q.limit ?? -1;
  const res: TargetMetadataJson[] = [];
  for (const targets of r.targetsActive().values()) {
    for (const t of targets) {
      if (limit >= 0 && res.length >= limit) return res;
      const labels = t.publicLabels();
      if (q.matchTarget !== undefined && !matches(labels, q.matchTarget)) continue;
      const target = labels.toObject();
      if (q.metric === undefined || q.metric === '') {
        for (const m of t.metadata?.listMetadata() ?? []) {
          res.push({ target, metric: m.metric, type: m.type, help: m.help, unit: m.unit });
        }
      } else {
        const m = t.metadata?.getMetadata(q.metric);
        if (m !== undefined) res.push({ target, type: m.type, help: m.help, unit: m.unit });
      }
    }
  }
  return res;
}

/** One distinct metadata entry of a metric in `/api/v1/metadata`. */
export interface MetadataJson {
  type: MetricType;
  help: string;
  unit: string;
}

/** `/api/v1/metadata`: per metric name, the distinct metadata seen across all targets. */
export function metadataApi(
  r: TargetRetriever,
  q: Omit<MetadataQuery, 'matchTarget'> = {},
): Record<string, MetadataJson[]> {
  const metrics = new Map<string, Map<string, MetadataJson>>();
  for (const targets of r.targetsActive().values()) {
    for (const t of targets) {
      const list = q.metric ? [t.metadata?.getMetadata(q.metric)] : (t.metadata?.listMetadata() ?? []);
      for (const m of list) {
        if (m === undefined) continue;
        const set = metrics.get(m.metric) ?? new Map<string, MetadataJson>();
        metrics.set(m.metric, set);
        set.set(JSON.stringify([m.type, m.help, m.unit]), { type: m.type, help: m.help, unit: m.unit });
      }
    }
  }
  const limit = q.limit ?? -1;
  const res: Record<string, MetadataJson[]> = {};
  let n = 0;
  for (const [name, set] of metrics) {
    if (limit >= 0 && n >= limit) break;
    res[name] = [...set.values()];
    n++;
  }
  return res;
}

function matches(labels: Labels, matchers: readonly Matcher[]): boolean {
  return matchers.every((m) => m.matches(labels.get(m.name)));
}
