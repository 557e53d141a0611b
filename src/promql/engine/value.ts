/**
 * The values PromQL evaluates to, in the shapes of upstream's `promql/value.go`. Float samples only: vigil's
 * storage holds no native histograms yet, so the engine has none either.
 */
import type { Labels } from '../../model/index.ts';

/** One float at one time, with the series it belongs to. */
export interface Sample {
  metric: Labels;
  /** Unix milliseconds. */
  t: number;
  f: number;
  /**
   * `__name__` is still in `metric` but must be dropped before the result leaves the engine (delayed name
   * removal: a later `label_replace` or `__name__` match may still see it).
   */
  dropName: boolean;
}

/** An instant vector: at most one sample per label set, order unspecified unless a function sorted it. */
export type Vector = Sample[];

/** A series of floats at increasing times; `ts[i]` goes with `fs[i]`. */
export interface Series {
  metric: Labels;
  ts: number[];
  fs: number[];
  dropName: boolean;
}

/** A range vector, or a range query's result: distinct label sets. */
export type Matrix = Series[];

/** What a query returns. Instant queries give any of the four; range queries always a matrix. */
export type QueryValue =
  | { readonly type: 'vector'; readonly samples: Vector }
  | { readonly type: 'matrix'; readonly series: Matrix }
  | { readonly type: 'scalar'; readonly t: number; readonly v: number }
  | { readonly type: 'string'; readonly t: number; readonly v: string };
