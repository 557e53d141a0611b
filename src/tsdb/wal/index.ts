export type { CheckpointRef } from './checkpoint.ts';
export {
  checkpointName,
  deleteCheckpoints,
  deleteTempCheckpoints,
  lastCheckpoint,
  listCheckpoints,
  parseCheckpointName,
} from './checkpoint.ts';
export {
  WalClosedError,
  WalCorruptionError,
  WalIoError,
  WalOptionsError,
  WalSegmentGapError,
  WalUnsupportedError,
} from './errors.ts';
export {
  CHECKPOINT_PREFIX,
  CHECKPOINT_TEMP_SUFFIX,
  DEFAULT_SEGMENT_SIZE_BYTES,
  FRAGMENT_HEADER_SIZE_BYTES,
  FragmentType,
  PAGE_SIZE_BYTES,
  SNAPPY_FLAG,
} from './format.ts';
export type { WalCompression, WalFsyncPolicy, WalOptions, WalStats } from './options.ts';
export type { SegmentRange, SegmentSource, WalReadError } from './reader.ts';
export { WalReader } from './reader.ts';
export type { SegmentRef } from './segments.ts';
export { listSegments, parseSegmentName, segmentName } from './segments.ts';
export { Wal } from './wal.ts';
