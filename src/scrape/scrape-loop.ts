/**
 * A target's scrape loop, as Prometheus' `scrapeLoop`: first scrape at the target's offset, then every
 * interval on a fixed grid (timestamps snapped to the grid when within 2 ms), each scrape appended and
 * committed with the synthetic series, and stale markers when the loop ends.
 */
import type { Logger } from '../log/index.ts';
import { type Labels, staleNaN } from '../model/index.ts';
import { type Appendable, type Appender, DuplicateSampleError, OutOfOrderSampleError } from '../storage/index.ts';
import type { ScrapeClock, Timer } from './clock.ts';
import type { ScrapeResponse } from './http-scraper.ts';
import { reportLabels } from './sample-labels.ts';
import { type AppendContext, appendScrape } from './scrape-append.ts';
import type { ScrapeCache } from './scrape-cache.ts';
import { BodySizeLimitError, ScrapeCanceledError } from './scrape-errors.ts';
import type { Target } from './target.ts';

/** What the loop needs from an HTTP scraper. */
export interface Scraper {
  scrape(): Promise<ScrapeResponse>;
  cancel(): void;
  close(): void;
}

/** A loop's collaborators and settings; the interval is the target's `__scrape_interval__`. */
export interface ScrapeLoopOptions {
  target: Target;
  scraper: Scraper;
  appendable: Appendable;
  clock: ScrapeClock;
  logger: Logger;
  intervalMs: number;
  /** Mixed into the target's offset (see `offsetSeed`). */
  offsetSeed: bigint;
  /** The loop's append state; its cache may come from the loop this one replaces. */
  append: AppendContext;
}

const reportNames = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;
/** Prometheus snaps a scrape's timestamp to its grid when it fires this close to it (ms). */
const alignToleranceMs = 2;
const empty = new Uint8Array(0);

/**
 * Lifecycle: `start` once; `stop` (resolves after the scrape in flight); then `staleLater` or `markStale` or
 * `dropStale`; `close`. At most one scrape runs at a time.
 */
export class ScrapeLoop {
  /** When set, scrapes fail with it without a request (`target_limit`). */
  forcedError: Error | null = null;
  private timer: Timer | undefined;
  private nextTick = 0;
  private lastScrapeMs = 0;
  private running: Promise<void> | undefined;
  private stopped = false;
  private staleDone = false;
  private staleTimer: Timer | undefined;
  private readonly reportSeries: Labels[];
  private readonly reportRefs = new Float64Array(reportNames.length);

  constructor(private readonly o: ScrapeLoopOptions) {
    const public_ = o.target.publicLabels();
    this.reportSeries = reportNames.map((n) => reportLabels(n, public_));
    o.target.metadata = o.append.cache;
  }

  get target(): Target {
    return this.o.target;
  }

  /** The loop's cache; a loop replacing this one for the same series may take it over. */
  get cache(): ScrapeCache {
    return this.o.append.cache;
  }

  /** Schedules the first scrape at the target's offset into the interval. */
  start(): void {
    const now = this.o.clock.now();
    this.nextTick = now + this.o.target.offsetMs(this.o.intervalMs, this.o.offsetSeed, now);
    this.schedule();
  }

  /** Stops scheduling; resolves when the scrape in flight (left to finish, as Prometheus does) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  /** Aborts the scrape in flight (shutdown). */
  cancel(): void {
    this.o.scraper.cancel();
  }

  /**
   * After `stop`: writes stale markers for all the target's series once the next two scrapes would have run
   * plus a tenth of the interval, stamped with the first of them (Prometheus' end-of-run staleness; a loop
   * that replaced this one for the same series will have written newer samples, so the markers are refused).
   * `onDone` runs once the markers are written, or at once when there is nothing to write.
   */
  staleLater(onDone: () => void): void {
    if (this.lastScrapeMs === 0 || this.staleDone) {
      onDone();
      return;
    }
    this.staleTimer?.cancel();
    let at = this.nextTick;
    while (at <= this.lastScrapeMs) at += this.o.intervalMs;
    const fireAt = at + this.o.intervalMs + Math.floor(this.o.intervalMs / 10);
    this.staleTimer = this.o.clock.setTimer(async () => {
      await this.markStale(at);
      onDone();
    }, fireAt - this.o.clock.now());
  }

  /**
   * Writes the stale markers now, stamped `t` (moved past the last scrape if needed); once per loop, and only
   * if it ever scraped.
   */
  async markStale(at: number): Promise<void> {
    this.staleTimer?.cancel();
    if (this.staleDone || this.lastScrapeMs === 0) return;
    this.staleDone = true;
    const t = Math.max(at, this.lastScrapeMs + 1);
    let app = this.o.appendable.appender();
    this.o.append.cache.abandonIter();
    const r = appendScrape(this.o.append, app, empty, '', t, this.o.clock.now());
    if (r.error !== null) {
      app.rollback();
      app = this.o.appendable.appender();
    } else {
      this.o.append.cache.iterDone(false);
    }
    for (let i = 0; i < reportNames.length; i++) this.appendReport(app, i, t, staleNaN);
    await this.commit(app, 'Stale commit failed');
  }

  /** Gives up the pending stale markers (shutdown without them). */
  dropStale(): void {
    this.staleTimer?.cancel();
    this.staleDone = true;
  }

  /** Releases the scraper's connections. */
  close(): void {
    this.o.scraper.close();
  }

  /** Runs one scrape now, stamped `appendTime`, and reports it. Never rejects. */
  async scrapeAndReport(appendTime: number): Promise<void> {
    const { clock, appendable, scraper, target } = this.o;
    const ctx = this.o.append;
    const start = clock.now();
    let app = appendable.appender();
    let scrapeErr: Error | null = this.forcedError;
    let body: Uint8Array = empty;
    let contentType = '';
    if (scrapeErr === null) {
      try {
        const r = await scraper.scrape();
        body = r.body;
        contentType = r.contentType;
      } catch (err) {
        if (err instanceof ScrapeCanceledError) {
          // Shutdown: the loop is going away; nothing of this scrape is written, not even `up`.
          app.rollback();
          return;
        }
        scrapeErr = err as Error;
        if (err instanceof BodySizeLimitError) ctx.stats.bodySizeLimitExceeded++;
        this.o.logger.debug('Scrape failed', { err });
      }
    }
    const res = appendScrape(ctx, app, body, contentType, appendTime, clock.now());
    if (res.error !== null) {
      this.o.logger.debug('Append failed', { err: res.error });
      app.rollback();
      app = appendable.appender();
      ctx.cache.abandonIter();
      const again = appendScrape(ctx, app, empty, '', appendTime, clock.now());
      if (again.error !== null) {
        app.rollback();
        app = appendable.appender();
      } else {
        ctx.cache.iterDone(false);
      }
    } else {
      ctx.cache.iterDone(body.length > 0);
    }
    scrapeErr ??= res.error;
    const durationMs = clock.now() - start;
    target.report(appendTime, durationMs, scrapeErr);
    ctx.stats.scrapes++;
    if (scrapeErr !== null) ctx.stats.scrapeFailures++;
    const values = [scrapeErr === null ? 1 : 0, durationMs / 1000, res.total, res.added, res.seriesAdded];
    for (let i = 0; i < reportNames.length; i++) this.appendReport(app, i, appendTime, values[i] as number);
    this.lastScrapeMs = appendTime;
    await this.commit(app, 'Scrape commit failed');
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimer(() => this.tick(), this.nextTick - this.o.clock.now());
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const { clock, intervalMs } = this.o;
    const now = clock.now();
    const grid = now >= this.nextTick && now - this.nextTick <= alignToleranceMs && intervalMs > 100 * alignToleranceMs;
    this.running = this.scrapeAndReport(grid ? this.nextTick : now);
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const after = clock.now();
    this.nextTick += intervalMs;
    // Like Go's ticker: a tick missed while scraping fires at once, the ones before it are skipped.
    if (this.nextTick < after) this.nextTick += Math.floor((after - this.nextTick) / intervalMs) * intervalMs;
    this.schedule();
  }

  private appendReport(app: Appender, i: number, t: number, v: number): void {
    const ref = this.reportRefs[i] as number;
    try {
      this.reportRefs[i] = app.append(this.reportSeries[i] as Labels, t, v, ref === 0 ? undefined : ref);
    } catch (err) {
      if (err instanceof OutOfOrderSampleError || err instanceof DuplicateSampleError) return;
      this.o.logger.warn('Appending scrape report failed', { err });
    }
  }

  private async commit(app: Appender, what: string): Promise<void> {
    try {
      await app.commit();
    } catch (err) {
      this.o.logger.error(what, { err });
    }
  }
}
