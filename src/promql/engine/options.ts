/** Options of the PromQL engine and of one query, and what a query returns. */
import type { ParseOptions } from '../parser/index.ts';
import type { QueryValue } from './value.ts';

export interface EngineOptions {
  /** How far back a selector looks for the latest sample. @default 300_000 (5m) */
  readonly lookbackDeltaMs?: number;
  /** Most samples held in memory at once by one query; beyond, TooManySamplesError. @default 50_000_000 */
  readonly maxSamples?: number;
  /** A query running longer fails with QueryTimeoutError. @default 120_000 (2m) */
  readonly timeoutMs?: number;
  /** Queries evaluated at once; more wait their turn (the wait counts toward their timeout). @default 20 */
  readonly maxConcurrent?: number;
  /** Step of a subquery written without one (`x[5m:]`): the global evaluation interval. @default 60_000 */
  readonly defaultSubqueryStepMs?: number;
  /** Keep `__name__` until the end of evaluation (upstream's `promql-delayed-name-removal`). @default false */
  readonly delayedNameRemoval?: boolean;
  /** Language features the parser accepts. @default every feature off, as Prometheus' defaults */
  readonly parseOptions?: ParseOptions;
}

export interface QueryOptions {
  /** Overrides the engine's lookback delta for this query. */
  readonly lookbackDeltaMs?: number;
  /** Overrides the engine's timeout for this query (the shorter wins). */
  readonly timeoutMs?: number;
  /** Aborting cancels the query with QueryCanceledError. */
  readonly signal?: AbortSignal;
}

export interface QueryStats {
  /** Samples read from storage. */
  samplesLoaded: number;
  /** Most samples held at once. */
  peakSamples: number;
  /** Wall time spent evaluating, ms. */
  evalMs: number;
}

export interface QueryResult {
  readonly value: QueryValue;
  readonly warnings: readonly string[];
  readonly infos: readonly string[];
  readonly stats: QueryStats;
}
