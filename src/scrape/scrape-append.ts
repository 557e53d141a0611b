/**
 * Appending one scrape body, as Prometheus' `scrapeLoop.append`: parse, build each new series' labels once
 * (then reuse them through the cache), enforce the limits, count refused samples, and write staleness markers
 * for the series the previous scrape had and this one does not.
 */
import {
  createParser,
  Entry,
  type ExpositionFormat,
  type ExpositionParser,
  formatFromContentType,
} from '../exposition/index.ts';
import type { Logger } from '../log/index.ts';
import { type Labels, staleNaN } from '../model/index.ts';
import {
  type Appender,
  DuplicateSampleError,
  OutOfBoundsError,
  OutOfOrderSampleError,
  type SeriesRef,
} from '../storage/index.ts';
import type { ScrapeStats } from './metrics.ts';
import type { Relabeler } from './relabel.ts';
import { type LabelLimits, mutateSampleLabels, verifyLabelLimits } from './sample-labels.ts';
import type { ScrapeCache } from './scrape-cache.ts';
import { MissingMetricNameError, SampleLimitError } from './scrape-errors.ts';

/** Samples stamped further ahead of the wall clock than this are refused as out of bounds. */
const maxAheadMs = 10 * 60_000;

/** What appending a body needs from its loop; held by the loop and reused across scrapes. */
export interface AppendContext {
  readonly cache: ScrapeCache;
  /** The target's public labels. */
  readonly targetLabels: Labels;
  readonly honorLabels: boolean;
  readonly honorTimestamps: boolean;
  /** Track staleness for samples with explicit timestamps too. */
  readonly trackTimestampsStaleness: boolean;
  readonly metricRelabel: Relabeler | null;
  /** 0: none. */
  readonly sampleLimit: number;
  readonly limits: LabelLimits;
  readonly stats: ScrapeStats;
  readonly logger: Logger;
  /** One parser per format, reset for each body. */
  readonly parsers: Partial<Record<ExpositionFormat, ExpositionParser>>;
}

/** Samples seen, samples left after metric relabeling, new series; and why the scrape must be dropped. */
export interface AppendResult {
  total: number;
  added: number;
  seriesAdded: number;
  error: Error | null;
}

/**
 * Appends every sample of `body` at `ts` (Unix ms; a sample's own timestamp wins with honor_timestamps) and the
 * staleness markers. On `error` the caller rolls the appender back; otherwise it commits and calls
 * `cache.iterDone(body.length > 0)`. Never throws.
 */
export function appendScrape(
  ctx: AppendContext,
  app: Appender,
  body: Uint8Array,
  contentType: string,
  ts: number,
  nowMs: number,
): AppendResult {
  const res: AppendResult = { total: 0, added: 0, seriesAdded: 0, error: null };
  const { cache, stats } = ctx;
  const format = formatFromContentType(contentType);
  let p = ctx.parsers[format];
  if (p === undefined) p = ctx.parsers[format] = createParser(body, format);
  else p.reset(body);
  const maxT = nowMs + maxAheadMs;
  let counted = 0;
  let sampleLimitErr: SampleLimitError | null = null;
  let outOfOrder = 0;
  let duplicate = 0;
  let outOfBounds = 0;

  loop: for (;;) {
    switch (p.next()) {
      case Entry.Eof:
        break loop;
      case Entry.Invalid:
        res.error = p.err();
        break loop;
      case Entry.Type:
        cache.setType(p.metricName(), p.type());
        continue;
      case Entry.Help:
        cache.setHelp(p.metricName(), p.help());
        continue;
      case Entry.Unit:
        cache.setUnit(p.metricName(), p.unit());
        continue;
      case Entry.Comment:
        continue;
    }
    res.total++;
    const explicitTs = ctx.honorTimestamps && p.hasTimestamp();
    const t = explicitTs ? p.timestampMs() : ts;
    const key = p.seriesKey();
    if (cache.isDropped(key)) continue;
    const ce = cache.get(key);
    let labels: Labels;
    let ref: SeriesRef = 0;
    if (ce !== undefined) {
      labels = ce.labels;
      ref = ce.ref;
    } else {
      const mutated = mutateSampleLabels(p.labels(), ctx.targetLabels, ctx.honorLabels, ctx.metricRelabel);
      if (mutated === null) {
        cache.addDropped(key);
        continue;
      }
      if (!mutated.has('__name__')) {
        res.error = new MissingMetricNameError();
        break;
      }
      const limitErr = verifyLabelLimits(mutated, ctx.limits);
      if (limitErr !== null) {
        stats.labelLimitExceeded++;
        res.error = limitErr;
        break;
      }
      labels = mutated;
    }

    let appended = false;
    if (ctx.sampleLimit > 0 && ++counted > ctx.sampleLimit) {
      sampleLimitErr ??= new SampleLimitError(ctx.sampleLimit);
    } else if (t > maxT) {
      outOfBounds++;
    } else {
      try {
        ref = app.append(labels, t, p.value(), ref === 0 ? undefined : ref);
        appended = true;
      } catch (err) {
        if (err instanceof OutOfOrderSampleError) outOfOrder++;
        else if (err instanceof DuplicateSampleError) duplicate++;
        else if (err instanceof OutOfBoundsError) outOfBounds++;
        else {
          res.error = err as Error;
          break;
        }
      }
    }
    let entry = ce;
    if (entry === undefined) {
      entry = cache.addRef(key, ref, labels);
      if (appended && sampleLimitErr === null) res.seriesAdded++;
    } else if (appended) {
      entry.ref = ref;
    }
    if (sampleLimitErr === null && (!explicitTs || ctx.trackTimestampsStaleness)) entry.seenCur = true;
    res.added++;
  }

  if (sampleLimitErr !== null) {
    stats.sampleLimitExceeded++;
    res.error ??= sampleLimitErr;
  }
  stats.samplesOutOfOrder += outOfOrder;
  stats.samplesDuplicate += duplicate;
  stats.samplesOutOfBounds += outOfBounds;
  if (outOfOrder > 0) ctx.logger.warn('Error on ingesting out-of-order samples', { num_dropped: outOfOrder });
  if (duplicate > 0) {
    ctx.logger.warn('Error on ingesting samples with different value but same timestamp', { num_dropped: duplicate });
  }
  if (outOfBounds > 0) {
    ctx.logger.warn('Error on ingesting samples that are too old or are too far into the future', {
      num_dropped: outOfBounds,
    });
  }
  if (res.error === null) appendStaleMarkers(ctx, app, ts);
  return res;
}

/** Stale markers at `ts` for series of the previous scrape missing from this one. Refusals are expected. */
function appendStaleMarkers(ctx: AppendContext, app: Appender, ts: number): void {
  ctx.cache.forEachStale((labels) => {
    try {
      app.append(labels, ts, staleNaN);
    } catch {
      // Out of order or duplicate: the series was written since (the target came back in a new loop).
    }
  });
}
