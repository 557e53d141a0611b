/** Flow actions: chain, skip, skipAfter, and the disruptive actions. */
import type { Disruptive } from '../rule.ts';
import type { ActionFactory } from './types.ts';

export const chain: ActionFactory = (_arg, rule) => {
  rule.chainFlag = true;
  return undefined;
};

export const skipAfter: ActionFactory = (arg, rule) => {
  if (arg === undefined || arg === '') return 'skipAfter needs a marker';
  rule.skipAfter = arg;
  return undefined;
};

export const skip: ActionFactory = (arg, rule) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1) return `invalid skip ${arg}`;
  rule.skip = n;
  return undefined;
};

const disruptive =
  (d: Disruptive): ActionFactory =>
  (arg, rule) => {
    rule.disruptive = d;
    if (d === 'allow') rule.allowScope = (arg ?? '').toLowerCase();
    return undefined;
  };

export const pass = disruptive('pass');
export const block = disruptive('block');
export const deny = disruptive('deny');
export const drop = disruptive('drop');
export const allow = disruptive('allow');
export const redirect = disruptive('redirect');

export const status: ActionFactory = (arg, rule) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 100 || n > 999) return `invalid status ${arg}`;
  rule.status = n;
  return undefined;
};
