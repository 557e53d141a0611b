/**
 * The targets and loops of one job, as Prometheus' `scrapePool`: `sync` turns discovered groups into targets
 * and starts or stops loops so that an unchanged target keeps its loop and cache; `reload` restarts the loops
 * with a changed job config, keeping caches when the change cannot alter the stored series.
 */
import type { ResolvedScrapeConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { Labels } from '../model/index.ts';
import type { Appendable } from '../storage/index.ts';
import { acceptHeader } from './accept.ts';
import type { ScrapeClock } from './clock.ts';
import type { TargetGroup } from './discovery.ts';
import { TargetScraper } from './http-scraper.ts';
import type { ScrapeStats } from './metrics.ts';
import { targetsFromGroup } from './populate.ts';
import type { Relabeler } from './relabel.ts';
import { ScrapeCache } from './scrape-cache.ts';
import { TargetLimitError } from './scrape-errors.ts';
import { ScrapeLoop } from './scrape-loop.ts';
import type { Target } from './target.ts';

/** What every pool of a manager shares. */
export interface PoolDeps {
  appendable: Appendable;
  clock: ScrapeClock;
  logger: Logger;
  offsetSeed: bigint;
  userAgent: string;
  stats: ScrapeStats;
  /**
   * Stopped loops whose end-of-run stale markers are pending, with the promise of their stop; shared by the
   * manager's pools so shutdown can write them all. A loop leaves it when its markers are written.
   */
  retired: Map<ScrapeLoop, Promise<void>>;
}

/** A job config with its relabel rules compiled. */
export interface CompiledJob {
  config: ResolvedScrapeConfig;
  relabel: Relabeler | null;
  metricRelabel: Relabeler | null;
}

/** One job's pool. `sync`, `reload` and `stop` are called by the manager one at a time. */
export class ScrapePool {
  private readonly loops = new Map<string, ScrapeLoop>();
  private dropped: Labels[] = [];
  private groups: readonly TargetGroup[] = [];

  constructor(
    private job: CompiledJob,
    private readonly deps: PoolDeps,
  ) {}

  get config(): ResolvedScrapeConfig {
    return this.job.config;
  }

  /** Active targets, sorted by scrape URL. */
  activeTargets(): Target[] {
    return [...this.loops.values()].map((l) => l.target).sort((a, b) => compareUrls(a.url(), b.url()));
  }

  /** Discovered labels of the targets relabeling dropped (at most `keep_dropped_targets` when set). */
  droppedTargets(): readonly Labels[] {
    return this.dropped;
  }

  /**
   * Replaces the pool's targets with those of `groups`: a target already scraped (same labels, same URL)
   * keeps its loop and only takes the new discovered labels; new ones start; gone ones stop and go stale
   * after two intervals. `inherit` holds stopped loops (by series identity) whose caches new loops take over.
   */
  sync(groups: readonly TargetGroup[], inherit?: Map<string, ScrapeLoop>): void {
    this.groups = groups;
    const { config, relabel } = this.job;
    const wanted = new Map<string, Target>();
    const dropped: Labels[] = [];
    const keep = config.keep_dropped_targets;
    for (const g of groups) {
      const r = targetsFromGroup(g, config, relabel);
      for (const f of r.failures) this.deps.logger.error('Creating target failed', { job: config.job_name, err: f });
      for (const t of r.active) if (!wanted.has(t.key())) wanted.set(t.key(), t);
      for (const d of r.dropped) if (keep === 0 || dropped.length < keep) dropped.push(d);
    }
    this.dropped = dropped;
    for (const [key, loop] of this.loops) {
      if (!wanted.has(key)) {
        this.loops.delete(key);
        this.retire(loop, loop.stop());
      }
    }
    for (const [key, t] of wanted) {
      const existing = this.loops.get(key);
      if (existing !== undefined) {
        existing.target.discoveredLabels = t.discoveredLabels;
        continue;
      }
      const prev = inherit?.get(seriesIdentity(t));
      inherit?.delete(seriesIdentity(t));
      if (prev !== undefined) {
        const p = prev.target;
        t.report(p.lastScrapeMs, p.lastScrapeDurationMs, p.lastError);
        t.health = p.health;
      }
      this.startLoop(t, prev?.cache ?? new ScrapeCache());
    }
    for (const loop of inherit?.values() ?? []) this.retire(loop, Promise.resolve());
    const limit = config.target_limit;
    const forced = limit > 0 && this.loops.size > limit ? new TargetLimitError(this.loops.size, limit) : null;
    for (const loop of this.loops.values()) loop.forcedError = forced;
  }

  /**
   * Restarts every loop with `job` once the scrapes in flight finished, then syncs `groups` (@default the last
   * ones) through the new relabel rules. A new loop for the same series and URL keeps the old loop's cache (no
   * stale markers in between) when only the interval, timeout, limits or HTTP client settings changed, as in
   * Prometheus; otherwise old loops end with end-of-run staleness.
   */
  async reload(job: CompiledJob, groups: readonly TargetGroup[] = this.groups): Promise<void> {
    const reuse = shapeOf(this.job.config) === shapeOf(job.config);
    this.job = job;
    const old = [...this.loops.values()];
    this.loops.clear();
    await Promise.all(old.map((l) => l.stop()));
    const inherit = new Map<string, ScrapeLoop>();
    for (const l of old) {
      if (reuse) inherit.set(seriesIdentity(l.target), l);
      else this.retire(l, Promise.resolve());
    }
    this.sync(groups, inherit);
    for (const l of old) if (!this.deps.retired.has(l)) l.close();
  }

  /**
   * Stops every loop (`cancel`: aborting scrapes in flight) and hands them to the shared `retired` map, where
   * their end-of-run stale markers are pending. Resolves when the loops stopped.
   */
  async stop(cancel: boolean): Promise<void> {
    const loops = [...this.loops.values()];
    this.loops.clear();
    if (cancel) for (const l of loops) l.cancel();
    const stopped = loops.map((l) => {
      const p = l.stop();
      this.retire(l, p);
      return p;
    });
    await Promise.all(stopped);
  }

  /** Number of active targets. */
  get size(): number {
    return this.loops.size;
  }

  /** Stops `loop` (`stopped` resolves when it did), closes it and schedules its end-of-run stale markers. */
  private retire(loop: ScrapeLoop, stopped: Promise<void>): void {
    const { retired } = this.deps;
    retired.set(loop, stopped);
    void stopped.then(() => {
      loop.close();
      loop.staleLater(() => retired.delete(loop));
    });
  }

  private startLoop(target: Target, cache: ScrapeCache): void {
    const c = this.job.config;
    const { intervalMs, timeoutMs } = target.intervalAndTimeout();
    const logger = this.deps.logger.child({ scrape_pool: c.job_name, target: target.url() });
    const scraper = new TargetScraper({
      url: target.url(),
      http: c,
      timeoutMs,
      bodySizeLimit: c.body_size_limit,
      accept: acceptHeader(c.scrape_protocols),
      enableCompression: c.enable_compression,
      userAgent: this.deps.userAgent,
      clock: this.deps.clock,
    });
    const loop = new ScrapeLoop({
      target,
      scraper,
      appendable: this.deps.appendable,
      clock: this.deps.clock,
      logger,
      intervalMs,
      offsetSeed: this.deps.offsetSeed,
      append: {
        cache,
        targetLabels: target.publicLabels(),
        honorLabels: c.honor_labels,
        honorTimestamps: c.honor_timestamps,
        trackTimestampsStaleness: c.track_timestamps_staleness,
        metricRelabel: this.job.metricRelabel,
        sampleLimit: c.sample_limit,
        limits: {
          labelLimit: c.label_limit,
          nameLengthLimit: c.label_name_length_limit,
          valueLengthLimit: c.label_value_length_limit,
        },
        stats: this.deps.stats,
        logger,
        parsers: {},
      },
    });
    this.loops.set(target.key(), loop);
    loop.start();
  }
}

/** What the stored series of a target depend on: its public labels and URL. */
function seriesIdentity(t: Target): string {
  return `${t.publicLabels().key()}\n${t.url()}`;
}

function compareUrls(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The job config without what cannot change stored series (Prometheus' `zeroConfig`), as comparable text. */
function shapeOf(c: ResolvedScrapeConfig): string {
  return configFingerprint({
    ...c,
    static_configs: undefined,
    file_sd_configs: undefined,
    docker_sd_configs: undefined,
    scrape_interval: 0,
    scrape_timeout: 0,
    sample_limit: 0,
    label_limit: 0,
    label_name_length_limit: 0,
    label_value_length_limit: 0,
    basic_auth: undefined,
    authorization: undefined,
    bearer_token: undefined,
    tls_config: undefined,
    proxy_url: undefined,
    no_proxy: undefined,
    proxy_from_environment: undefined,
    proxy_connect_header: undefined,
    follow_redirects: undefined,
    enable_http2: undefined,
  });
}

/** A text equal for equal configs, secrets compared by value. In memory only: it holds secrets. */
export function configFingerprint(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    return raw !== null && typeof raw === 'object' && 'reveal' in raw && typeof raw.reveal === 'function'
      ? { secret: (raw as { reveal(): string }).reveal() }
      : v;
  });
}
