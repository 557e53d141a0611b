export { DuplicateSampleError, InvalidLabelsError, OutOfBoundsError, OutOfOrderSampleError } from './errors.ts';
export type {
  Appendable,
  Appender,
  Querier,
  Queryable,
  SampleCursor,
  SelectHints,
  Series,
  SeriesRef,
  SeriesSet,
} from './interfaces.ts';
export { ArrayCursor, ErrorSeriesSet, emptySeriesSet, ListSeries, ListSeriesSet } from './list.ts';
export { MemoryStorage } from './memory.ts';
export { MergeCursor, MergeSeriesSet } from './merge.ts';
export { readSamples, SampleBuffer } from './sample-buffer.ts';
