import { compileMacro, expandMacro, isConstant } from '../macro.ts';
import type { Operator, OperatorFactory } from './types.ts';

/** C `atoi`: leading blanks, optional sign, digits; anything else reads as 0. */
export function toInt(s: string): number {
  // Fast path, same result: up to 15 plain digits (exact in a double).
  const n = s.length;
  if (n > 0 && n <= 15) {
    let v = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (i === n) return v;
  }
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1] as string, 10);
}

/** A numeric comparison: 0 `@eq`, 1 `@ge`, 2 `@gt`, 3 `@le`, 4 `@lt`. */
export type Comparison = 0 | 1 | 2 | 3 | 4;

/** Whether `a` compares to `b` as `c` says. */
export function compare(c: Comparison, a: number, b: number): boolean {
  switch (c) {
    case 0:
      return a === b;
    case 1:
      return a >= b;
    case 2:
      return a > b;
    case 3:
      return a <= b;
    default:
      return a < b;
  }
}

/** Numeric operators whose parameter is a constant: their comparison and parameter (see `constantComparison`). */
const constants = new WeakMap<Operator, { comparison: Comparison; param: number }>();

/**
 * For an operator built by `eq`, `ge`, `gt`, `le` or `lt` with a constant parameter: its comparison and
 * the parameter as `toInt` reads it; undefined for any other operator. The operator matches `input`
 * exactly when `compare(comparison, toInt(input), param)`, and then its matched text is `input`.
 */
export function constantComparison(op: Operator): { comparison: Comparison; param: number } | undefined {
  return constants.get(op);
}

function numeric(comparison: Comparison): OperatorFactory {
  return (param) => {
    const m = compileMacro(param);
    const constant = isConstant(m) ? toInt((m as readonly string[]).join('')) : undefined;
    const op: Operator = (input, ctx) => {
      const p = constant ?? toInt(expandMacro(m, ctx.state));
      if (!compare(comparison, toInt(input), p)) return false;
      ctx.matched = input;
      return true;
    };
    if (constant !== undefined) constants.set(op, { comparison, param: constant });
    return op;
  };
}

export const eq = numeric(0);
export const ge = numeric(1);
export const gt = numeric(2);
export const le = numeric(3);
export const lt = numeric(4);
