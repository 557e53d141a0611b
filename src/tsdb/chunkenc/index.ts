export { Encoding, encodingName, ValueType } from './chunk.ts';
export { ChunkCorruptionError, ChunkFullError, ChunkTimestampRangeError, ChunkTruncatedError } from './errors.ts';
export { XorAppender } from './xor-appender.ts';
export { MAX_ABS_TIMESTAMP_MS, XOR_HEADER_BYTES, XOR_MAX_SAMPLES } from './xor-format.ts';
export { XorIterator } from './xor-iterator.ts';
