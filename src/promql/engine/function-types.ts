/**
 * The contract between the evaluator and function implementations (upstream's `FunctionCall`). Signatures for the
 * parser live in `parser/functions.ts`; implementations, keyed by the same names, in `functions/`.
 */
import type { Labels } from '../../model/index.ts';
import type { Call } from '../parser/index.ts';
import type { Annotations } from './annotations.ts';
import type { Vector } from './value.ts';

/** Per-call state the evaluator hands to a function, reused across steps. */
export interface EvalContext {
  /** Evaluation time of the current step, Unix ms (the `@` time when the call's arguments are pinned). */
  ts: number;
  /** Start and end of the query (equal for an instant query), Unix ms. */
  readonly queryStartMs: number;
  readonly queryEndMs: number;
  readonly annotations: Annotations;
  /**
   * Delayed `__name__` removal (upstream's `promql-delayed-name-removal`): when on, a function that drops the
   * name sets `dropName` and leaves `__name__` in place for the engine to remove at the end; when off it removes
   * `__name__` from the metric itself.
   */
  readonly delayedNameRemoval: boolean;
  /** A scratch map a function may keep across steps of the same call (label_replace caches its outputs here). */
  readonly cache: Map<string, unknown>;
}

/**
 * An argument of an instant-vector function at one step: a vector for vector arguments, a number for scalar
 * ones, the literal's text for string ones.
 */
export type InstantArg = Vector | number | string;

/**
 * Computes a function over instant vectors at one step. Returns a new vector (never the argument itself mutated
 * in place, since the evaluator may reuse it). Throws QueryExecutionError for an error upstream reports as one
 * (`invalid regular expression`, a duplicate label set after `label_replace`…).
 */
export type InstantFunction = (args: readonly InstantArg[], call: Call, ctx: EvalContext) => Vector;

/**
 * The points of one series that fall in a range selector's window at one step: indices `[lo, hi)` of `ts`/`fs`,
 * increasing times, stale markers already removed. The window covers `(rangeStartMs, rangeEndMs]` (left-open,
 * as current Prometheus), with offset and `@` already applied.
 */
export interface RangeWindow {
  readonly metric: Labels;
  readonly ts: Float64Array;
  readonly fs: Float64Array;
  /** Points of the series in `ts`/`fs`: indices `[0, n)` (the arrays may be longer, holding nothing of it). */
  readonly n: number;
  readonly lo: number;
  readonly hi: number;
  readonly rangeStartMs: number;
  readonly rangeEndMs: number;
}

/**
 * Computes a function over one series' window at one step; `params` are the scalar arguments at that step in
 * argument order (the matrix argument left out). Returns the output value, or null for "no sample".
 */
export type RangeFunction = (w: RangeWindow, params: readonly number[], call: Call, ctx: EvalContext) => number | null;

export type FunctionImpl =
  | { readonly kind: 'instant'; readonly fn: InstantFunction }
  | {
      readonly kind: 'range';
      readonly fn: RangeFunction;
      /** The output keeps `__name__` (`last_over_time`, `first_over_time`); otherwise it is dropped. */
      readonly keepName?: boolean;
    };
