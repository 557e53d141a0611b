/**
 * Signatures of every PromQL function, as the parser needs them to type-check calls (upstream's `functions.go`).
 * Implementations live with the engine; this table only says what a call may look like.
 */
import type { ValueType } from './ast.ts';

export interface FunctionSignature {
  readonly name: string;
  /** Types of the arguments in order; with `variadic` the last type repeats. */
  readonly argTypes: readonly ValueType[];
  /**
   * 0: exactly `argTypes.length` arguments. n > 0: the last argument is optional and may appear up to n times,
   * so between `argTypes.length - 1` and `argTypes.length - 1 + n` arguments. -1: at least `argTypes.length - 1`.
   */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Only parses with experimental functions enabled (`--enable-feature=promql-experimental-functions`). */
  readonly experimental: boolean;
}

type Shape = readonly [argTypes: readonly ValueType[], returnType: ValueType, variadic?: number, experimental?: 'x'];

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const vectorToVector: Shape = [[V], V];
const matrixToVector: Shape = [[M], V];
const dateFunction: Shape = [[V], V, 1];
const experimentalMatrix: Shape = [[M], V, 0, 'x'];

const shapes = {
  abs: vectorToVector,
  absent: vectorToVector,
  absent_over_time: matrixToVector,
  acos: vectorToVector,
  acosh: vectorToVector,
  asin: vectorToVector,
  asinh: vectorToVector,
  atan: vectorToVector,
  atanh: vectorToVector,
  avg_over_time: matrixToVector,
  ceil: vectorToVector,
  changes: matrixToVector,
  clamp: [[V, S, S], V],
  clamp_max: [[V, S], V],
  clamp_min: [[V, S], V],
  cos: vectorToVector,
  cosh: vectorToVector,
  count_over_time: matrixToVector,
  day_of_month: dateFunction,
  day_of_week: dateFunction,
  day_of_year: dateFunction,
  days_in_month: dateFunction,
  deg: vectorToVector,
  delta: matrixToVector,
  deriv: matrixToVector,
  double_exponential_smoothing: [[M, S, S], V, 0, 'x'],
  end: [[], S, 0, 'x'],
  exp: vectorToVector,
  first_over_time: experimentalMatrix,
  floor: vectorToVector,
  histogram_avg: vectorToVector,
  histogram_count: vectorToVector,
  histogram_fraction: [[S, S, V], V],
  histogram_quantile: [[S, V], V],
  histogram_quantiles: [[V, STR, S, S], V, -1, 'x'],
  histogram_stddev: vectorToVector,
  histogram_stdvar: vectorToVector,
  histogram_sum: vectorToVector,
  hour: dateFunction,
  idelta: matrixToVector,
  increase: matrixToVector,
  info: [[V, V], V, 1, 'x'],
  irate: matrixToVector,
  label_join: [[V, STR, STR, STR], V, -1],
  label_replace: [[V, STR, STR, STR, STR], V],
  last_over_time: matrixToVector,
  ln: vectorToVector,
  log10: vectorToVector,
  log2: vectorToVector,
  mad_over_time: experimentalMatrix,
  max_of: [[S, S], S, 0, 'x'],
  max_over_time: matrixToVector,
  min_of: [[S, S], S, 0, 'x'],
  min_over_time: matrixToVector,
  minute: dateFunction,
  month: dateFunction,
  pi: [[], S],
  predict_linear: [[M, S], V],
  present_over_time: matrixToVector,
  quantile_over_time: [[S, M], V],
  rad: vectorToVector,
  range: [[], S, 0, 'x'],
  rate: matrixToVector,
  resets: matrixToVector,
  round: [[V, S], V, 1],
  scalar: [[V], S],
  sgn: vectorToVector,
  sin: vectorToVector,
  sinh: vectorToVector,
  sort: vectorToVector,
  sort_by_label: [[V, STR], V, -1, 'x'],
  sort_by_label_desc: [[V, STR], V, -1, 'x'],
  sort_desc: vectorToVector,
  sqrt: vectorToVector,
  start: [[], S, 0, 'x'],
  start_timestamp: [[V], V, 0, 'x'],
  stddev_over_time: matrixToVector,
  stdvar_over_time: matrixToVector,
  step: [[], S, 0, 'x'],
  sum_over_time: matrixToVector,
  tan: vectorToVector,
  tanh: vectorToVector,
  time: [[], S],
  timestamp: vectorToVector,
  ts_of_first_over_time: experimentalMatrix,
  ts_of_last_over_time: experimentalMatrix,
  ts_of_max_over_time: experimentalMatrix,
  ts_of_min_over_time: experimentalMatrix,
  vector: [[S], V],
  year: dateFunction,
} satisfies Record<string, Shape>;

/** Every function of current Prometheus, keyed by name. Look names up with `Object.hasOwn` first. */
export const functions: Readonly<Record<string, FunctionSignature>> = Object.fromEntries(
  Object.entries(shapes).map(([name, [argTypes, returnType, variadic = 0, experimental]]) => [
    name,
    { name, argTypes, variadic, returnType, experimental: experimental === 'x' },
  ]),
);

/** The signature of `name` in `table`, or undefined (never an inherited property such as `constructor`). */
export function lookupFunction(
  name: string,
  table: Readonly<Record<string, FunctionSignature>> = functions,
): FunctionSignature | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
