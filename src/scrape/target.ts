/** A scrape target: its labels, URL and identity, and what its last scrape reported. */
import type { MetricType } from '../exposition/index.ts';
import { type Labels, parseDurationMs } from '../model/index.ts';
import { fnv64a, labelsHash } from './hash.ts';

/** As `/api/v1/targets` reports it: `unknown` until the first scrape. */
export type TargetHealth = 'unknown' | 'up' | 'down';

/** HELP, TYPE and UNIT of one metric family, as last seen in a target's scrapes. */
export interface MetricMetadata {
  readonly metric: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** Where a target's metadata comes from (its scrape cache). */
export interface MetadataSource {
  listMetadata(): MetricMetadata[];
  getMetadata(metric: string): MetricMetadata | undefined;
}

/** Labels named `__param_<name>` set the URL query parameter `<name>`. */
export const paramLabelPrefix = '__param_';

/**
 * One HTTP endpoint of a job. `labels` are the labels after target relabeling with the `__meta_*` labels
 * removed (so `__address__`, `__scheme__`, `__metrics_path__`, `__param_*`, `__scrape_interval__`,
 * `__scrape_timeout__` are still there); `publicLabels()` are the ones every sample gets. The scrape state is
 * written by the target's scrape loop only.
 */
export class Target {
  health: TargetHealth = 'unknown';
  /** Why the last scrape failed; null when it succeeded or none ran. */
  lastError: Error | null = null;
  /** When the last scrape started (its sample timestamp), Unix ms; 0 before the first. */
  lastScrapeMs = 0;
  lastScrapeDurationMs = 0;
  /** Set by the scrape loop; null until it runs. */
  metadata: MetadataSource | null = null;
  private publicCache: Labels | undefined;
  private urlCache: string | undefined;
  private hashCache: bigint | undefined;

  constructor(
    readonly labels: Labels,
    /** The labels before relabeling; replaced when discovery sends the same target again. */
    public discoveredLabels: Labels,
    /** The job's `params`; `__param_<name>` labels override the first value of `<name>`. */
    readonly params: Readonly<Record<string, readonly string[]>>,
  ) {}

  /** The labels without those starting with `__`: what every scraped sample gets. */
  publicLabels(): Labels {
    if (this.publicCache === undefined) {
      const names: string[] = [];
      this.labels.forEach((n) => {
        if (n.startsWith('__')) names.push(n);
      });
      this.publicCache = this.labels.without(...names);
    }
    return this.publicCache;
  }

  /** The scrape URL as Go's `url.URL.String()` writes it: query keys sorted, values query-escaped. */
  url(): string {
    if (this.urlCache === undefined) this.urlCache = targetUrl(this.labels, this.params);
    return this.urlCache;
  }

  /** Equal for two targets exactly when Prometheus would treat them as one: same labels, same URL. */
  key(): string {
    return `${this.labels.key()}\n${this.url()}`;
  }

  /** Prometheus' `Target.hash`: FNV-1a of the labels' xxHash64 (zero-padded decimal) and the URL. */
  hash(): bigint {
    if (this.hashCache === undefined) {
      this.hashCache = fnv64a(labelsHash(this.labels).toString().padStart(16, '0') + this.url());
    }
    return this.hashCache;
  }

  /**
   * Milliseconds from `nowMs` until the target's first scrape, in (0, interval]: the target's hash (mixed with
   * `seed`) modulo the interval, counted from the last multiple of the interval since the epoch. Stable for a
   * target across restarts, spread evenly over the interval across targets (Prometheus' `Target.offset`,
   * computed in nanoseconds as there).
   */
  offsetMs(intervalMs: number, seed: bigint, nowMs: number): number {
    const interval = BigInt(intervalMs) * 1_000_000n;
    if (interval === 0n) return 0;
    const now = BigInt(Math.trunc(nowMs)) * 1_000_000n;
    const base = interval - (now % interval);
    let next = base + ((this.hash() ^ seed) % interval);
    if (next > interval) next -= interval;
    return Number(next / 1_000_000n);
  }

  /** The interval and timeout from `__scrape_interval__` / `__scrape_timeout__` (validated when built). */
  intervalAndTimeout(): { intervalMs: number; timeoutMs: number } {
    return {
      intervalMs: parseDurationMs(this.labels.get('__scrape_interval__')) ?? 0,
      timeoutMs: parseDurationMs(this.labels.get('__scrape_timeout__')) ?? 0,
    };
  }

  /** Records a scrape: up unless `err`. */
  report(startMs: number, durationMs: number, err: Error | null): void {
    this.health = err === null ? 'up' : 'down';
    this.lastError = err;
    this.lastScrapeMs = startMs;
    this.lastScrapeDurationMs = durationMs;
  }
}

function targetUrl(labels: Labels, params: Readonly<Record<string, readonly string[]>>): string {
  const query = new Map<string, string[]>();
  for (const [k, v] of Object.entries(params)) query.set(k, [...v]);
  labels.forEach((name, value) => {
    if (!name.startsWith(paramLabelPrefix)) return;
    const k = name.slice(paramLabelPrefix.length);
    const vs = query.get(k);
    if (vs !== undefined && vs.length > 0) vs[0] = value;
    else query.set(k, [value]);
  });
  const parts: string[] = [];
  for (const k of [...query.keys()].sort()) {
    for (const v of query.get(k) as string[]) parts.push(`${queryEscape(k)}=${queryEscape(v)}`);
  }
  const host = labels.get('__address__');
  let path = labels.get('__metrics_path__');
  if (path !== '' && !path.startsWith('/') && host !== '') path = `/${path}`;
  return `${labels.get('__scheme__')}://${host}${escapePath(path)}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
}

/** Go's `url.QueryEscape`: all but `A-Za-z0-9-_.~` percent-encoded, space as `+`. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go's path escaping in `URL.EscapedPath` for a path without a raw form. */
function escapePath(p: string): string {
  return p === '*' ? p : encodeURI(p).replace(/[!'()*?#[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
