/**
 * Trigonometric and hyperbolic functions over instant vectors, in radians, with Go's algorithms so results match
 * upstream to the last bit. All drop the metric name.
 */
import type { FunctionImpl } from '../function-types.ts';
import { goAcos, goAcosh, goAsin, goAsinh, goAtan, goAtanh, goCosh, goSinh, goTanh } from './go-arc-hyperbolic.ts';
import { goCos, goSin, goTan } from './go-trig.ts';
import { valueFunction } from './math.ts';

/** The trigonometric functions, keyed by PromQL name. */
export const trigFunctions = {
  sin: valueFunction(goSin),
  cos: valueFunction(goCos),
  tan: valueFunction(goTan),
  asin: valueFunction(goAsin),
  acos: valueFunction(goAcos),
  atan: valueFunction(goAtan),
  sinh: valueFunction(goSinh),
  cosh: valueFunction(goCosh),
  tanh: valueFunction(goTanh),
  asinh: valueFunction(goAsinh),
  acosh: valueFunction(goAcosh),
  atanh: valueFunction(goAtanh),
} satisfies Record<string, FunctionImpl>;
