import { compileMacro, expandMacro } from '../macro.ts';
import type { OperatorFactory } from './types.ts';

/** C `atoi`: leading blanks, optional sign, digits; anything else reads as 0. */
export function toInt(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1] as string, 10);
}

function numeric(test: (a: number, b: number) => boolean): OperatorFactory {
  return (param) => {
    const m = compileMacro(param);
    return (input, ctx) => {
      const p = expandMacro(m, ctx.state);
      if (!test(toInt(input), toInt(p))) return false;
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
