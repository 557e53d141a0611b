/**
 * The seam between what writes and reads samples and where they live. Writers append through an Appender;
 * readers select through a Querier. The TSDB implements both; remote write (later) is another Appender.
 */
import type { Labels, Matcher } from '../model/index.ts';
import type { SampleBuffer } from './sample-buffer.ts';

/**
 * A handle for a series that an Appender returned; passing it back skips the label lookup. 0 means "none".
 * Valid for the lifetime of the storage that issued it.
 */
export type SeriesRef = number;

/** A batch of appends, applied together on `commit` or dropped by `rollback`. Not safe for concurrent use. */
export interface Appender {
  /**
   * Adds a sample: `t` in Unix milliseconds (a safe integer), `v` a float64 (the staleness marker included).
   * Returns the series' ref. Throws OutOfOrderSampleError, DuplicateSampleError, OutOfBoundsError or
   * InvalidLabelsError for a refused sample; the others in the batch stay.
   */
  append(labels: Labels, t: number, v: number, ref?: SeriesRef): SeriesRef;
  /** Makes the batch durable (per the storage's fsync policy) and visible to queriers. */
  commit(): Promise<void>;
  /** Drops the batch. */
  rollback(): void;
}

export interface Appendable {
  appender(): Appender;
}

/**
 * Reads the samples of one series, in increasing timestamp order, without allocating per sample. Accessors are
 * valid after `next()` or `seek()` returned true, until the next call. A cursor never throws: a failure ends
 * it (`next()` returns false) and `err()` tells why.
 */
export interface SampleCursor {
  /** Moves to the next sample; false at the end. */
  next(): boolean;
  /**
   * Moves to the first sample with timestamp >= t, staying put when the current one qualifies (never moves
   * backwards); false when there is none.
   */
  seek(t: number): boolean;
  /** Timestamp of the current sample, Unix milliseconds. */
  atT(): number;
  /** Value of the current sample. */
  atV(): number;
  err(): Error | null;
  /**
   * Optional bulk read: appends the current sample and every later one with timestamp <= maxt to `buf`, leaving
   * the cursor past them (at the first sample beyond maxt, or exhausted). Only called on a positioned cursor.
   * Same samples as a `next()` loop would give; use `readSamples` rather than calling it directly.
   */
  readInto?(buf: SampleBuffer, maxt: number): void;
}

/** A series: its labels and a way to read its samples. */
export interface Series {
  readonly labels: Labels;
  /** A cursor over the samples; pass a cursor from an earlier call to reuse it. */
  cursor(reuse?: SampleCursor): SampleCursor;
}

/** Series one after another, sorted by labels when the select asked for it. Cursor-style, like SampleCursor. */
export interface SeriesSet {
  next(): boolean;
  /** The current series; valid until the next `next()`. */
  at(): Series;
  err(): Error | null;
  /** Problems that did not stop the select (a block that could not be read, say). */
  warnings(): readonly string[];
}

/** What a select is for, so the storage can avoid work. All optional. */
export interface SelectHints {
  /** Start and end of the data needed, Unix ms, inclusive. */
  start?: number;
  end?: number;
  /** The query step, ms. */
  step?: number;
  /** The surrounding PromQL function, when there is one. */
  func?: string;
}

/** Reads a time range `[mint, maxt]` (Unix ms, inclusive). Close it to release resources. */
export interface Querier {
  /**
   * The series matching every matcher (at least one matcher must not match the empty string), with samples
   * restricted to `[mint, maxt]`. `sorted`: series in label order (compareLabels).
   */
  select(sorted: boolean, hints: SelectHints | undefined, matchers: readonly Matcher[]): SeriesSet;
  /** Values of `name` among series matching `matchers` (all series when empty), sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  /** Label names among series matching `matchers` (all series when empty), sorted. */
  labelNames(matchers?: readonly Matcher[]): string[];
  /** Idempotent. */
  close(): void;
}

export interface Queryable {
  querier(mint: number, maxt: number): Querier;
}
