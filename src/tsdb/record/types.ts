/**
 * The WAL record payloads of Prometheus 2.42 (`tsdb/record`), byte for byte: docs/format/wal.md, "Records".
 * Every record starts with one type byte; these are its values.
 */
export const RecordType = {
  Series: 1,
  Samples: 2,
  Tombstones: 3,
  Exemplars: 4,
  /** Out-of-order write-behind log only (`wbl/`). */
  MmapMarkers: 5,
  Metadata: 6,
  /** Native histograms (Prometheus 2.40+): recognised, not decoded by vigil. */
  HistogramSamples: 7,
  /** Written by Prometheus 2.45+ only: recognised, not decoded by vigil. */
  FloatHistogramSamples: 8,
  /** Written by Prometheus 3.x only: recognised, not decoded by vigil. */
  CustomBucketsHistogramSamples: 9,
  /** Written by Prometheus 3.x only: recognised, not decoded by vigil. */
  CustomBucketsFloatHistogramSamples: 10,
  /** What {@link recordType} answers for an empty record or a type byte not listed here. */
  Unknown: 255,
} as const;

export type RecordTypeCode = (typeof RecordType)[keyof typeof RecordType];

const names: Record<number, string> = {
  1: 'series',
  2: 'samples',
  3: 'tombstones',
  4: 'exemplars',
  5: 'mmap_markers',
  6: 'metadata',
  7: 'histogram_samples',
  8: 'float_histogram_samples',
  9: 'custom_buckets_histogram_samples',
  10: 'custom_buckets_float_histogram_samples',
};

/** The type of an encoded record from its first byte; {@link RecordType.Unknown} when empty or not listed. */
export function recordType(rec: Uint8Array): RecordTypeCode {
  const t = rec[0];
  return t !== undefined && t in names ? (t as RecordTypeCode) : RecordType.Unknown;
}

/** Prometheus' name of a record type (`series`, `samples`, …), `unknown` for anything else. */
export function recordTypeName(type: number): string {
  return names[type] ?? 'unknown';
}

/**
 * The largest series reference vigil reads or writes: 2^53 − 1, where JavaScript numbers stop being exact.
 * Prometheus' references are uint64 counters starting at 1, far below it in practice; a record holding a larger
 * one decodes to a `RecordDecodeError`.
 */
export const MAX_SERIES_REF = Number.MAX_SAFE_INTEGER;

/** One label pair. Within a series, labels are sorted by name and names are unique (Prometheus' invariant). */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** A Series record entry: the labels of a new head series and the reference samples use for it. */
export interface RefSeries {
  /** Head series reference, 0 ≤ ref ≤ {@link MAX_SERIES_REF}. */
  readonly ref: number;
  /** Sorted by name; the encoder writes them in the order given. */
  readonly labels: readonly Label[];
}

/**
 * A Tombstones record entry: samples of series `ref` in [mintMs, maxtMs] (both inclusive) are deleted.
 * Timestamps beyond ±2^53 ms (Prometheus' "all time" bounds ±2^63) decode to the nearest number; the encoder
 * clamps to the int64 range, so `-(2**63)` and `2**63` round-trip to int64's minimum and maximum.
 */
export interface Tombstone {
  readonly ref: number;
  readonly mintMs: number;
  readonly maxtMs: number;
}

/** An Exemplars record entry. `value` goes through a JS number: a NaN's payload is not kept. */
export interface RefExemplar {
  readonly ref: number;
  readonly timestampMs: number;
  readonly value: number;
  readonly labels: readonly Label[];
}

/**
 * An MmapMarkers record entry (out-of-order WBL): every sample of `ref` so far is in the head chunk file
 * at `mmapRef` (uint64: file sequence in the high 32 bits, byte offset in the low 32).
 */
export interface RefMmapMarker {
  readonly ref: number;
  readonly mmapRef: bigint;
}

/** A Metadata record entry. `type` is Prometheus' MetricType byte, see {@link MetricTypeCode}. */
export interface RefMetadata {
  readonly ref: number;
  readonly type: number;
  readonly unit: string;
  readonly help: string;
}

/** Prometheus' `record.MetricType` values as stored in Metadata records. */
export const MetricTypeCode = {
  unknown: 0,
  counter: 1,
  gauge: 2,
  histogram: 3,
  gaugehistogram: 4,
  summary: 5,
  info: 6,
  stateset: 7,
} as const;
