/**
 * The engine's PromQL function implementations, keyed by the names of `parser/functions.ts`. Functions the
 * evaluator computes itself are absent: those returning scalars (`pi`, `time`, `scalar`, `start`, `end`, `range`,
 * `step`, `min_of`, `max_of`) and those that need the syntax tree or the whole series set (`absent`,
 * `absent_over_time`, `info`, `start_timestamp`).
 */
import type { FunctionImpl } from '../function-types.ts';
import { changeFunctions } from './changes.ts';
import { dateFunctions } from './date.ts';
import { histogramFunctions } from './histogram.ts';
import { labelFunctions } from './labels.ts';
import { mathFunctions } from './math.ts';
import { overTimeFunctions } from './over-time.ts';
import { extremaFunctions } from './over-time-extrema.ts';
import { rateFunctions } from './rate.ts';
import { regressionFunctions } from './regression.ts';
import { sortFunctions } from './sort.ts';
import { trigFunctions } from './trig.ts';

export type { Bucket, BucketQuantileResult } from './bucket-quantile.ts';
export { bucketFraction, bucketQuantile } from './bucket-quantile.ts';
export { quantile } from './quantile.ts';
export { durationSeconds } from './rate.ts';

/** Every function implementation, keyed by PromQL name. Look names up with `Object.hasOwn` first. */
export const functionImpls = {
  ...mathFunctions,
  ...trigFunctions,
  ...dateFunctions,
  ...labelFunctions,
  ...sortFunctions,
  ...rateFunctions,
  ...overTimeFunctions,
  ...extremaFunctions,
  ...changeFunctions,
  ...regressionFunctions,
  ...histogramFunctions,
} satisfies Record<string, FunctionImpl>;
