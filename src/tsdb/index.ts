export type { TsdbOptions } from './db.ts';
export { Tsdb } from './db.ts';
export { registerTsdbMetrics } from './metrics.ts';
