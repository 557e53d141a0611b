export type {
  ActiveTargetJson,
  GlobalUrlOptions,
  MetadataJson,
  MetadataQuery,
  TargetDiscoveryJson,
  TargetMetadataJson,
} from './api.ts';
export { globalTargetUrl, metadataApi, targetsApi, targetsMetadataApi } from './api.ts';
export type { ScrapeClock, Timer } from './clock.ts';
export { systemClock } from './clock.ts';
export type { Discoverer, LabelMap, TargetGroup } from './discovery.ts';
export { RelabelError } from './errors.ts';
export { offsetSeed } from './hash.ts';
export type { ApplyResult, ScrapeManagerOptions, TargetRetriever } from './manager.ts';
export { ScrapeManager } from './manager.ts';
export type { ScrapeMetricsSource, ScrapeStats } from './metrics.ts';
export { registerScrapeMetrics } from './metrics.ts';
export type { Relabeler } from './relabel.ts';
export { compileRelabel } from './relabel.ts';
export {
  BodyReadError,
  BodySizeLimitError,
  DiscoveryError,
  HttpStatusError,
  LabelLimitError,
  MissingMetricNameError,
  SampleLimitError,
  ScrapeCanceledError,
  ScrapeRequestError,
  ScrapeTimeoutError,
  TargetLabelsError,
  TargetLimitError,
  TooManyRedirectsError,
} from './scrape-errors.ts';
export type { MetadataSource, MetricMetadata, TargetHealth } from './target.ts';
export { Target } from './target.ts';
