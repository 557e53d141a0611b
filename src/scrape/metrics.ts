/** The scrape module's self-metrics: plain counters the module bumps, exposed through prom-client on demand. */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Running totals since the manager was created. Written by the module only; read at any time. */
export interface ScrapeStats {
  /** Scrapes run, failed or not. */
  scrapes: number;
  /** Scrapes that set `up` to 0. */
  scrapeFailures: number;
  /** Samples the storage refused as out of order, duplicate, or out of bounds (also: over 10 min ahead). */
  samplesOutOfOrder: number;
  samplesDuplicate: number;
  samplesOutOfBounds: number;
  /** Scrapes dropped by `sample_limit`, `body_size_limit`, the label limits. */
  sampleLimitExceeded: number;
  bodySizeLimitExceeded: number;
  labelLimitExceeded: number;
  /** file_sd files that could not be read or parsed (their last good targets stay). */
  fileSdReadErrors: number;
  /** Docker discovery refreshes that failed. */
  dockerSdRefreshFailures: number;
}

/** All counters at zero. */
export function newScrapeStats(): ScrapeStats {
  return {
    scrapes: 0,
    scrapeFailures: 0,
    samplesOutOfOrder: 0,
    samplesDuplicate: 0,
    samplesOutOfBounds: 0,
    sampleLimitExceeded: 0,
    bodySizeLimitExceeded: 0,
    labelLimitExceeded: 0,
    fileSdReadErrors: 0,
    dockerSdRefreshFailures: 0,
  };
}

/** What {@link registerScrapeMetrics} reads. */
export interface ScrapeMetricsSource {
  readonly stats: ScrapeStats;
  /** Active targets per job. */
  activeTargetCount(): number;
}

/** Registers `vigil_*` counterparts of Prometheus' scrape and SD metrics on `registry`, read at each collect. */
export function registerScrapeMetrics(source: ScrapeMetricsSource, registry: Registry): void {
  const counter = (name: string, help: string, key: keyof ScrapeStats) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(source.stats[key]);
      },
    });
  counter('vigil_target_scrapes_total', 'Scrapes run.', 'scrapes');
  counter('vigil_target_scrapes_failed_total', 'Scrapes that failed (up = 0).', 'scrapeFailures');
  counter('vigil_target_scrapes_sample_out_of_order_total', 'Samples refused as out of order.', 'samplesOutOfOrder');
  counter(
    'vigil_target_scrapes_sample_duplicate_timestamp_total',
    'Samples refused as duplicates with a different value.',
    'samplesDuplicate',
  );
  counter('vigil_target_scrapes_sample_out_of_bounds_total', 'Samples refused as out of bounds.', 'samplesOutOfBounds');
  counter('vigil_target_scrapes_exceeded_sample_limit_total', 'Scrapes over sample_limit.', 'sampleLimitExceeded');
  counter(
    'vigil_target_scrapes_exceeded_body_size_limit_total',
    'Scrapes over body_size_limit.',
    'bodySizeLimitExceeded',
  );
  counter('vigil_target_scrape_pool_exceeded_label_limits_total', 'Scrapes over a label limit.', 'labelLimitExceeded');
  counter('vigil_sd_file_read_errors_total', 'file_sd files that could not be read or parsed.', 'fileSdReadErrors');
  counter(
    'vigil_sd_docker_refresh_failures_total',
    'Docker discovery refreshes that failed.',
    'dockerSdRefreshFailures',
  );
  new Gauge({
    name: 'vigil_target_active',
    help: 'Active scrape targets.',
    registers: [registry],
    collect() {
      this.set(source.activeTargetCount());
    },
  });
}
