export { HeadChunkCorruptionError } from './errors.ts';
export type { HeadLog, HeadOptions } from './head.ts';
export { Head } from './head.ts';
export { HeadAppender } from './head-append.ts';
export { HeadQuerier } from './head-read.ts';
export type { MmappedChunk } from './mem-series.ts';
export { MemSeries } from './mem-series.ts';
