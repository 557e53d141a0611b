export type { BlockMeta } from './block/index.ts';
export { openBlock } from './block/index.ts';
export { BlockBuilder } from './block-builder.ts';
export type { TsdbOptions } from './db.ts';
export { Tsdb } from './db.ts';
export { registerTsdbMetrics } from './metrics.ts';
