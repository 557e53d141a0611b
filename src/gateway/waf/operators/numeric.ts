import { compileMacro, expandMacro, isConstant } from '../macro.ts';
import type { OperatorFactory } from './types.ts';

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

function numeric(test: (a: number, b: number) => boolean): OperatorFactory {
  return (param) => {
    const m = compileMacro(param);
    const constant = isConstant(m) ? toInt((m as readonly string[]).join('')) : undefined;
    return (input, ctx) => {
      const p = constant ?? toInt(expandMacro(m, ctx.state));
      if (!test(toInt(input), p)) return false;
      ctx.matched = input;
      return true;
    };
  };
}

export const eq = numeric((a, b) => a === b);
export const ge = numeric((a, b) => a >= b);
export const gt = numeric((a, b) => a > b);
export const le = numeric((a, b) => a <= b);
export const lt = numeric((a, b) => a < b);
