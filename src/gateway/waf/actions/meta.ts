/** Metadata actions: identity, phase, messages, classification. */
import { compileMacro } from '../macro.ts';
import { severities } from '../rule.ts';
import type { ActionFactory } from './types.ts';

export const id: ActionFactory = (arg, rule) => {
  const n = Number(arg);
  if (!Number.isInteger(n) || n <= 0) return `invalid id ${arg}`;
  rule.id = n;
  return undefined;
};

const phaseNames: Record<string, number> = { request: 2, response: 4, logging: 5 };

export const phase: ActionFactory = (arg, rule) => {
  const n = phaseNames[(arg ?? '').toLowerCase()] ?? Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > 5) return `invalid phase ${arg}`;
  rule.phase = n;
  return undefined;
};

export const msg: ActionFactory = (arg, rule) => {
  rule.msg = compileMacro(arg ?? '');
  return undefined;
};

export const logdata: ActionFactory = (arg, rule) => {
  rule.logdata = compileMacro(arg ?? '');
  return undefined;
};

export const severity: ActionFactory = (arg, rule) => {
  const a = (arg ?? '').toUpperCase();
  const n = /^[0-7]$/.test(a) ? Number(a) : severities.indexOf(a);
  if (n < 0) return `invalid severity ${arg}`;
  rule.severity = n;
  return undefined;
};

export const tag: ActionFactory = (arg, rule) => {
  rule.tags.push(arg ?? '');
  return undefined;
};

export const ver: ActionFactory = (arg, rule) => {
  rule.ver = arg;
  return undefined;
};
export const rev: ActionFactory = (arg, rule) => {
  rule.rev = arg;
  return undefined;
};
export const maturity: ActionFactory = (arg, rule) => {
  rule.maturity = arg;
  return undefined;
};
export const accuracy: ActionFactory = (arg, rule) => {
  rule.accuracy = arg;
  return undefined;
};
