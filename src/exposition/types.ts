/** The vocabulary of the exposition module: formats, entry kinds, metric types, families. */
import type { Labels } from '../model/index.ts';
import type { ExpositionParseError } from './errors.ts';

/** The two text formats: Prometheus text 0.0.4 and OpenMetrics 1.0.0 text. */
export type ExpositionFormat = 'text-0.0.4' | 'openmetrics-1.0.0';

/** What `ExpositionParser.next()` found. */
export const Entry = {
  /** The end of the body (for OpenMetrics: `# EOF` and nothing after it). */
  Eof: 0,
  /** A sample line: name, labels, value, optional timestamp, optional exemplar (OpenMetrics). */
  Sample: 1,
  /** `# HELP name text`. */
  Help: 2,
  /** `# TYPE name type`. */
  Type: 3,
  /** `# UNIT name unit` (OpenMetrics only). */
  Unit: 4,
  /** A comment line (text 0.0.4 only; OpenMetrics has none). */
  Comment: 5,
  /** The body is malformed; `err()` says where and why. Sticky: every later `next()` returns it again. */
  Invalid: 6,
} as const;
export type Entry = (typeof Entry)[keyof typeof Entry];

/**
 * Metric types as Prometheus names them. Text 0.0.4's `untyped` is `unknown` here, as in Prometheus' metadata;
 * `gaugehistogram`, `info` and `stateset` exist in OpenMetrics only.
 */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

/** An OpenMetrics exemplar: labels (without `__name__`), a value and an optional timestamp. */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Unix milliseconds (an integer), or undefined when the exemplar has none. */
  readonly timestampMs?: number | undefined;
}

/** One sample of a family, as exposed. */
export interface MetricSample {
  /** The sample's metric name: the family name or the family name plus a suffix the type allows (`_bucket`, …). */
  readonly name: string;
  /** The labels without `__name__`. */
  readonly labels: Labels;
  readonly value: number;
  /** Unix milliseconds (an integer), or undefined to let the scraper stamp it. */
  readonly timestampMs?: number | undefined;
  /** OpenMetrics only, and only on `_total` and `_bucket` samples (what Prometheus accepts). */
  readonly exemplar?: Exemplar | undefined;
}

/** A metric family: metadata and the samples exposed under it, in exposition order. */
export interface MetricFamily {
  /** The family name: for OpenMetrics counters without `_total`, for text 0.0.4 counters usually with it. */
  readonly name: string;
  readonly type: MetricType;
  /** Help text; undefined writes no HELP line. */
  readonly help?: string | undefined;
  /** OpenMetrics unit; the family name must end with `_` + unit. Ignored by the text 0.0.4 encoder. */
  readonly unit?: string | undefined;
  readonly samples: readonly MetricSample[];
}

/** Parser options; every field is optional. */
export interface ParserOptions {
  /**
   * Refuse escapes other than `\\`, `\"` and `\n` in label values and HELP text (and `\"` in text 0.0.4 HELP).
   * Prometheus' scrape parsers accept them and keep the backslash, so this is off by default.
   * @default false
   */
  readonly strictEscapes?: boolean;
}

/**
 * A pull parser over one exposition body, in the manner of Prometheus' textparse.Parser. `next()` moves to the next
 * entry and returns its kind; the accessors describe the current entry and are valid until the next `next()` or
 * `reset()`. Accessors for another kind of entry return empty values. Never throws on any body: a malformed one
 * yields `Entry.Invalid` and `err()`.
 */
export interface ExpositionParser {
  readonly format: ExpositionFormat;
  /** Starts over on a new body, reusing the parser's buffers. The body must not change while it is parsed. */
  reset(body: Uint8Array): void;
  next(): Entry;
  /** The error after `Entry.Invalid`, else null. */
  err(): ExpositionParseError | null;
  /** Sample, HELP, TYPE, UNIT: the metric name. */
  metricName(): string;
  /** Sample: byte offset where the series text (`name{labels}`, as written) starts. */
  seriesStart(): number;
  /** Sample: byte offset just past the series text. */
  seriesEnd(): number;
  /**
   * Sample: the series text as a one-byte string (each byte one char), equal for equal bytes. A cache key like
   * Prometheus' scrape cache uses; not for display (non-ASCII label values are not decoded).
   */
  seriesKey(): string;
  /** Sample: labels with `__name__`, sorted, empty values dropped. Builds strings: call it only when needed. */
  labels(): Labels;
  /** Sample: the value; NaN is Prometheus' normal NaN (0x7ff8000000000001), never the staleness marker. */
  value(): number;
  /** Sample: whether the line had a timestamp. */
  hasTimestamp(): boolean;
  /** Sample: the timestamp in Unix milliseconds (a safe integer), 0 when the line had none. */
  timestampMs(): number;
  /**
   * Sample: the type of the family the sample belongs to: the latest TYPE line's, when the sample's name is that
   * family's name or the name plus a suffix its type allows; else `unknown`.
   */
  metricType(): MetricType;
  /** Sample: whether the line had an exemplar (OpenMetrics). */
  hasExemplar(): boolean;
  /** Sample with an exemplar: the exemplar, built on each call. */
  exemplar(): Exemplar | null;
  /** HELP: the help text, unescaped. */
  help(): string;
  /** TYPE: the declared type. */
  type(): MetricType;
  /** UNIT: the unit ('' for an empty one). */
  unit(): string;
  /** Comment: the line from `#` to its end, exclusive. */
  comment(): string;
}
