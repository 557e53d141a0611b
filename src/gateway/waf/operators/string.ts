import { compileMacro, expandMacro } from '../macro.ts';
import type { OperatorFactory } from './types.ts';

/** Operators comparing the input with a (macro-expanded) string parameter. */
function stringOp(test: (input: string, param: string) => boolean): OperatorFactory {
  return (param) => {
    const m = compileMacro(param);
    return (input, ctx) => {
      const p = expandMacro(m, ctx.state);
      if (!test(input, p)) return false;
      ctx.matched = p;
      return true;
    };
  };
}

export const streq = stringOp((i, p) => i === p);
export const contains = stringOp((i, p) => i.includes(p));
export const beginsWith = stringOp((i, p) => i.startsWith(p));
export const endsWith = stringOp((i, p) => i.endsWith(p));
/** `@within`: the input is a substring of the parameter (an empty input never is). */
export const within = stringOp((i, p) => i !== '' && p.includes(i));
export const containsWord = stringOp((i, p) => {
  if (p === '') return true;
  let at = i.indexOf(p);
  const word = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  while (at >= 0) {
    if (!word(i[at - 1]) && !word(i[at + p.length])) return true;
    at = i.indexOf(p, at + 1);
  }
  return false;
});
