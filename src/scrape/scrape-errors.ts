/**
 * Why a scrape or a discovery failed. A failed scrape's error becomes the target's `lastError` (its message is
 * what `/api/v1/targets` shows, worded as Prometheus words it); callers branch on the class or `code`.
 */

/** The request did not get a response: connection refused, reset, DNS, TLS. `url` is the URL requested. */
export class ScrapeRequestError extends Error {
  readonly code = 'SCRAPE_REQUEST';
  constructor(
    readonly url: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Get ${JSON.stringify(url)}: ${reason}`, options);
    this.name = 'ScrapeRequestError';
  }
}

/** The scrape (request and body) took longer than the target's scrape timeout. */
export class ScrapeTimeoutError extends Error {
  readonly code = 'SCRAPE_TIMEOUT';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`Get ${JSON.stringify(url)}: context deadline exceeded`);
    this.name = 'ScrapeTimeoutError';
  }
}

/** The scrape was abandoned because its loop stopped (vigil shutting down). */
export class ScrapeCanceledError extends Error {
  readonly code = 'SCRAPE_CANCELED';
  constructor(readonly url: string) {
    super(`Get ${JSON.stringify(url)}: context canceled`);
    this.name = 'ScrapeCanceledError';
  }
}

/** Redirects were followed up to Go's limit of 10 requests; `location` is the one refused. */
export class TooManyRedirectsError extends Error {
  readonly code = 'SCRAPE_TOO_MANY_REDIRECTS';
  constructor(readonly location: string) {
    super(`Get ${JSON.stringify(location)}: stopped after 10 redirects`);
    this.name = 'TooManyRedirectsError';
  }
}

/** The final response's status was not 200 (Prometheus accepts 200 only). */
export class HttpStatusError extends Error {
  readonly code = 'SCRAPE_HTTP_STATUS';
  constructor(
    readonly status: number,
    readonly statusText: string,
  ) {
    super(`server returned HTTP status ${status} ${statusText}`.trimEnd());
    this.name = 'HttpStatusError';
  }
}

/** The (decompressed) body reached `body_size_limit` bytes. */
export class BodySizeLimitError extends Error {
  readonly code = 'SCRAPE_BODY_SIZE_LIMIT';
  constructor(readonly limitBytes: number) {
    super('body size limit exceeded');
    this.name = 'BodySizeLimitError';
  }
}

/** The body broke off or did not decompress. */
export class BodyReadError extends Error {
  readonly code = 'SCRAPE_BODY_READ';
  constructor(reason: string, options?: ErrorOptions) {
    super(reason, options);
    this.name = 'BodyReadError';
  }
}

/** More samples than `sample_limit` remained after metric relabeling; the whole scrape is dropped. */
export class SampleLimitError extends Error {
  readonly code = 'SCRAPE_SAMPLE_LIMIT';
  constructor(readonly limit: number) {
    super('sample limit exceeded');
    this.name = 'SampleLimitError';
  }
}

/** A series broke `label_limit`, `label_name_length_limit` or `label_value_length_limit`; the scrape is dropped. */
export class LabelLimitError extends Error {
  readonly code = 'SCRAPE_LABEL_LIMIT';
  constructor(
    readonly limit: 'label_limit' | 'label_name_length_limit' | 'label_value_length_limit',
    message: string,
  ) {
    super(message);
    this.name = 'LabelLimitError';
  }
}

/** A series lost its `__name__` to metric relabeling; the scrape is dropped. */
export class MissingMetricNameError extends Error {
  readonly code = 'SCRAPE_NO_METRIC_NAME';
  constructor() {
    super('missing metric name (__name__ label)');
    this.name = 'MissingMetricNameError';
  }
}

/** The job has more targets than `target_limit`: none of them is scraped. */
export class TargetLimitError extends Error {
  readonly code = 'SCRAPE_TARGET_LIMIT';
  constructor(
    readonly targets: number,
    readonly limit: number,
  ) {
    super(`target_limit exceeded (number of targets: ${targets}, limit: ${limit})`);
    this.name = 'TargetLimitError';
  }
}

/** A discovered target whose labels cannot make a target (no address, a URL as address, bad interval). */
export class TargetLabelsError extends Error {
  readonly code = 'SCRAPE_TARGET_LABELS';
  constructor(
    readonly source: string,
    readonly index: number,
    readonly reason: string,
  ) {
    super(`instance ${index} in group ${source}: ${reason}`);
    this.name = 'TargetLabelsError';
  }
}

/** A discovery refresh that failed; the discoverer keeps its last good targets. */
export class DiscoveryError extends Error {
  readonly code = 'SCRAPE_DISCOVERY';
  constructor(
    readonly mechanism: 'file' | 'docker',
    /** The file, or the Docker host. */
    readonly source: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${mechanism} discovery of ${source}: ${reason}`, options);
    this.name = 'DiscoveryError';
  }
}
