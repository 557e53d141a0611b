import type { OperatorFactory } from './types.ts';

export const unconditionalMatch: OperatorFactory = () => (input, ctx) => {
  ctx.matched = input;
  return true;
};
export const noMatch: OperatorFactory = () => () => false;
