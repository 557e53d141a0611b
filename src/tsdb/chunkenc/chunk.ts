/** Chunk encodings and iterator value types, numbered as in Prometheus' `tsdb/chunkenc/chunk.go`. */

/**
 * The encoding byte that precedes a chunk's data in chunk segment files. The numbers are on disk: never
 * renumber. Prometheus 2.42 writes XOR for float series and Histogram/FloatHistogram for native histograms;
 * vigil implements XOR only.
 */
export const Encoding = {
  None: 0,
  XOR: 1,
  Histogram: 2,
  FloatHistogram: 3,
} as const;

/** One of the `Encoding` numbers. */
export type Encoding = (typeof Encoding)[keyof typeof Encoding];

/** Prometheus' name for an encoding byte (`"XOR"`, `"histogram"`, …), or `"<unknown>"`. */
export function encodingName(e: number): string {
  switch (e) {
    case Encoding.None:
      return 'none';
    case Encoding.XOR:
      return 'XOR';
    case Encoding.Histogram:
      return 'histogram';
    case Encoding.FloatHistogram:
      return 'floathistogram';
    default:
      return '<unknown>';
  }
}

/**
 * What a chunk iterator's `next()`/`seek()` found. `None` (0, falsy) means exhausted or failed — check `err()`.
 * XOR chunks only ever yield `Float`; the histogram kinds are reserved so every chunk iterator shares one shape.
 */
export const ValueType = {
  None: 0,
  Float: 1,
  Histogram: 2,
  FloatHistogram: 3,
} as const;

/** One of the `ValueType` numbers. */
export type ValueType = (typeof ValueType)[keyof typeof ValueType];
