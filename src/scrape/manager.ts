/**
 * The scrape manager: one pool per job, fed by the job's discoverers; reloads that keep what did not change;
 * shutdown that stops every loop and marks the series stale.
 */
import type { ResolvedScrapeConfig } from '../config/index.ts';
import type { Logger } from '../log/index.ts';
import type { Labels } from '../model/index.ts';
import type { Appendable } from '../storage/index.ts';
import { type ScrapeClock, systemClock } from './clock.ts';
import type { TargetGroup } from './discovery.ts';
import { type Provider, planProviders, startProviders } from './manager-discovery.ts';
import { newScrapeStats, type ScrapeMetricsSource, type ScrapeStats } from './metrics.ts';
import { compileRelabel } from './relabel.ts';
import type { ScrapeLoop } from './scrape-loop.ts';
import { type CompiledJob, configFingerprint, ScrapePool } from './scrape-pool.ts';
import type { Target } from './target.ts';

/** Options of a {@link ScrapeManager}; only `appendable` and `logger` are required. */
export interface ScrapeManagerOptions {
  /** Where scraped samples go. */
  appendable: Appendable;
  logger: Logger;
  /** @default systemClock */
  clock?: ScrapeClock;
  /** The directory relative `file_sd_configs` paths resolve against: the config file's. @default process.cwd() */
  configDir?: string;
  /** Mixed into every target's scrape offset; `offsetSeed(hostname, externalLabels)` is Prometheus'. @default 0n */
  offsetSeed?: bigint;
  /** The User-Agent of scrapes and Docker API calls. @default 'vigil' */
  userAgent?: string;
  /** Re-read file_sd files on `fs.watch` notifications too. @default true */
  watchFiles?: boolean;
  /**
   * Write stale markers for every target's series at `close` (Prometheus writes none at shutdown, so series
   * resume seamlessly after a restart). @default true
   */
  staleOnClose?: boolean;
}

/** The active and dropped targets by job, for the targets and metadata APIs. */
export interface TargetRetriever {
  /** Active targets per job, jobs in name order, targets by scrape URL. */
  targetsActive(): ReadonlyMap<string, readonly Target[]>;
  /** Discovered labels of dropped targets per job, jobs in name order. */
  targetsDropped(): ReadonlyMap<string, readonly Labels[]>;
}

/** Whether a config was applied; when not, the errors say which job's relabel rules did not compile. */
export type ApplyResult = { ok: true } | { ok: false; errors: Error[] };

interface Job {
  pool: ScrapePool;
  /** The job config without its discovery sections. */
  fingerprint: string;
  providers: Provider[];
  /** False while the pool reloads: updates are kept and applied after. */
  ready: boolean;
  dirty: boolean;
}

/**
 * Scrapes the jobs of `scrape_configs` into an Appendable. Lifecycle: `applyConfig` (any time), `start`,
 * `applyConfig` again on reload, `close` once (before the storage closes: it writes stale markers). Calls to
 * `start`, `applyConfig` and `close` are serialized; reads (`targetsActive`, the API functions) are safe at any
 * time and see a consistent job list.
 */
export class ScrapeManager implements TargetRetriever, ScrapeMetricsSource {
  readonly stats: ScrapeStats = newScrapeStats();
  private readonly clock: ScrapeClock;
  private readonly jobs = new Map<string, Job>();
  private readonly retired = new Map<ScrapeLoop, Promise<void>>();
  private compiled: CompiledJob[] = [];
  private started = false;
  private closed = false;
  private applying: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(private readonly o: ScrapeManagerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** Starts the jobs of the config applied so far (and of every later one). */
  async start(): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    await this.serial(() => this.apply(this.compiled));
  }

  /**
   * Applies a new `scrape_configs` list: jobs gone stop (their series go stale after two intervals), new jobs
   * start, changed jobs restart their loops (keeping caches where Prometheus would) and their discovery when
   * it changed; unchanged jobs and targets keep running untouched. Resolves once static and file discovery
   * delivered their first targets. Every relabel list is compiled first: if one fails, nothing changes.
   */
  async applyConfig(configs: readonly ResolvedScrapeConfig[]): Promise<ApplyResult> {
    const errors: Error[] = [];
    const compiled: CompiledJob[] = [];
    for (const config of configs) {
      try {
        compiled.push({
          config,
          relabel: config.relabel_configs.length > 0 ? compileRelabel(config.relabel_configs) : null,
          metricRelabel:
            config.metric_relabel_configs.length > 0 ? compileRelabel(config.metric_relabel_configs) : null,
        });
      } catch (err) {
        errors.push(err as Error);
        this.o.logger.error('Invalid relabel configuration', { scrape_pool: config.job_name, err });
      }
    }
    if (errors.length > 0) return { ok: false, errors };
    this.compiled = compiled;
    if (this.started && !this.closed) await this.serial(() => this.apply(compiled));
    return { ok: true };
  }

  /** Re-reads every discoverer now (file and Docker); resolves when their updates were applied. */
  async refreshDiscovery(): Promise<void> {
    await Promise.all([...this.jobs.values()].flatMap((j) => j.providers.map((p) => p.discoverer.refresh())));
  }

  /**
   * Stops discovery and every loop (aborting scrapes in flight) and, with `staleOnClose`, writes stale markers
   * for all series now, including those of targets removed earlier whose markers were pending. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    await this.applying;
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    await Promise.all(jobs.flatMap((j) => j.providers.map((p) => p.discoverer.close())));
    await Promise.all(jobs.map((j) => j.pool.stop(true)));
    const write = this.o.staleOnClose !== false;
    const now = this.clock.now();
    await Promise.all(
      [...this.retired].map(async ([loop, stopped]) => {
        loop.cancel();
        await stopped;
        if (write) await loop.markStale(now);
        else loop.dropStale();
      }),
    );
    this.retired.clear();
  }

  targetsActive(): ReadonlyMap<string, readonly Target[]> {
    return new Map(this.sortedJobs().map(([name, j]) => [name, j.pool.activeTargets()]));
  }

  targetsDropped(): ReadonlyMap<string, readonly Labels[]> {
    return new Map(this.sortedJobs().map(([name, j]) => [name, j.pool.droppedTargets()]));
  }

  activeTargetCount(): number {
    let n = 0;
    for (const j of this.jobs.values()) n += j.pool.size;
    return n;
  }

  private sortedJobs(): Array<[string, Job]> {
    return [...this.jobs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.applying.then(fn);
    this.applying = next.catch(() => {});
    return next;
  }

  private async apply(compiled: readonly CompiledJob[]): Promise<void> {
    const names = new Set(compiled.map((c) => c.config.job_name));
    for (const [name, job] of this.jobs) {
      if (names.has(name)) continue;
      this.jobs.delete(name);
      await Promise.all(job.providers.map((p) => p.discoverer.close()));
      await job.pool.stop(false);
    }
    await Promise.all(compiled.map((c) => this.applyJob(c)));
  }

  /**
   * A job's discovery sections only feed its targets, so a change there restarts only the discoverers whose
   * own config changed, and the pool syncs (unchanged targets keep their loops). Any other change reloads
   * the pool.
   */
  private async applyJob(c: CompiledJob): Promise<void> {
    const name = c.config.job_name;
    const fingerprint = configFingerprint({ ...c.config, static_configs: 0, file_sd_configs: 0, docker_sd_configs: 0 });
    let job = this.jobs.get(name);
    if (c.config.proxy_url !== undefined || c.config.proxy_from_environment) {
      this.o.logger.warn('Proxies are not supported; scraping targets directly', { scrape_pool: name });
    }
    if (job === undefined) {
      job = { pool: this.newPool(c), fingerprint, providers: [], ready: true, dirty: false };
      this.jobs.set(name, job);
      await this.startDiscovery(job, c.config);
      return;
    }
    const reload = job.fingerprint !== fingerprint;
    job.fingerprint = fingerprint;
    job.ready = false;
    const rediscovered = await this.startDiscovery(job, c.config);
    if (reload) await job.pool.reload(c, groupsOf(job));
    else if (rediscovered || job.dirty) job.pool.sync(groupsOf(job));
    job.ready = true;
    if (job.dirty && reload) job.pool.sync(groupsOf(job));
    job.dirty = false;
  }

  private newPool(c: CompiledJob): ScrapePool {
    return new ScrapePool(c, {
      appendable: this.o.appendable,
      clock: this.clock,
      logger: this.o.logger,
      offsetSeed: this.o.offsetSeed ?? 0n,
      userAgent: this.o.userAgent ?? 'vigil',
      stats: this.stats,
      retired: this.retired,
    });
  }

  /**
   * Makes the job's discoverers match `c`, keeping unchanged ones with their last groups. Resolves when new
   * static and file discoverers delivered once; true when the set of discoverers changed.
   */
  private async startDiscovery(job: Job, c: ResolvedScrapeConfig): Promise<boolean> {
    const plan = planProviders(job.providers, c, {
      clock: this.clock,
      stats: this.stats,
      logger: this.o.logger,
      configDir: this.o.configDir ?? process.cwd(),
      watchFiles: this.o.watchFiles !== false,
      userAgent: this.o.userAgent ?? 'vigil',
    });
    job.providers = plan.all;
    await Promise.all(plan.stopped.map((p) => p.discoverer.close()));
    await startProviders(plan.started, (p) => {
      if (!job.providers.includes(p) || this.closed) return;
      if (job.ready) job.pool.sync(groupsOf(job));
      else job.dirty = true;
    });
    return plan.started.length > 0 || plan.stopped.length > 0;
  }
}

function groupsOf(job: Job): TargetGroup[] {
  return job.providers.flatMap((p) => p.groups);
}
