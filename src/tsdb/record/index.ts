export type { DecodeResult } from './decode.ts';
export {
  decodeExemplars,
  decodeMetadata,
  decodeMmapMarkers,
  decodeSamples,
  decodeSeries,
  decodeTombstones,
} from './decode.ts';
export type { RecordEncoderOptions } from './encode.ts';
export { RecordEncoder } from './encode.ts';
export { RecordDecodeError, RecordTypeError } from './errors.ts';
export type { SampleColumns } from './sample-batch.ts';
export { SampleBatch } from './sample-batch.ts';
export type { Label, RecordTypeCode, RefExemplar, RefMetadata, RefMmapMarker, RefSeries, Tombstone } from './types.ts';
export { MAX_SERIES_REF, MetricTypeCode, RecordType, recordType, recordTypeName } from './types.ts';
