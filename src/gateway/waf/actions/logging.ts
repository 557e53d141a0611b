/** Logging and evaluation-mode actions: log/nolog, auditlog, capture, multiMatch, t:. */
import { transformations } from '../transformations/index.ts';
import type { ActionFactory } from './types.ts';

export const log: ActionFactory = (_a, rule) => {
  rule.log = true;
  return undefined;
};
export const nolog: ActionFactory = (_a, rule) => {
  rule.log = false;
  rule.auditlog ??= false;
  return undefined;
};
export const auditlog: ActionFactory = (_a, rule) => {
  rule.auditlog = true;
  return undefined;
};
export const noauditlog: ActionFactory = (_a, rule) => {
  rule.auditlog = false;
  return undefined;
};
export const capture: ActionFactory = (_a, rule) => {
  rule.capture = true;
  return undefined;
};
export const multiMatch: ActionFactory = (_a, rule) => {
  rule.multiMatch = true;
  return undefined;
};

/** `t:name`; `t:none` drops the transformations listed so far (the default action's included). */
export const t: ActionFactory = (arg, rule) => {
  const name = (arg ?? '').toLowerCase();
  if (name === 'none') {
    rule.transformNames = [];
    rule.transforms = [];
    rule.transformsReset = true;
    return undefined;
  }
  const fn = (transformations as Record<string, (typeof transformations)['lowercase']>)[name];
  if (fn === undefined) return `unknown transformation ${arg}`;
  rule.transformNames.push(name);
  rule.transforms.push(fn);
  return undefined;
};

/** Accepted and ignored: they only change what an audit log would contain. */
export const ignored: ActionFactory = () => undefined;
