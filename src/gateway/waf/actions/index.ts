/** The action registry: SecLang action names (lower-cased) to the factories that apply them to a rule. */
import { ctl } from './ctl.ts';
import { allow, block, chain, deny, drop, pass, redirect, skip, skipAfter, status } from './flow.ts';
import { auditlog, capture, ignored, log, multiMatch, noauditlog, nolog, t } from './logging.ts';
import { accuracy, id, logdata, maturity, msg, phase, rev, severity, tag, ver } from './meta.ts';
import { initcol, setenv, setvar } from './setvar.ts';
import type { ActionFactory } from './types.ts';

export { parseIdRanges } from './ctl.ts';
export type { ActionEnv, ActionFactory } from './types.ts';

export const actions = {
  id,
  phase,
  msg,
  logdata,
  severity,
  tag,
  ver,
  rev,
  maturity,
  accuracy,
  chain,
  skip,
  skipafter: skipAfter,
  pass,
  block,
  deny,
  drop,
  allow,
  redirect,
  status,
  log,
  nolog,
  auditlog,
  noauditlog,
  capture,
  multimatch: multiMatch,
  t,
  setvar,
  initcol,
  setenv,
  ctl,
  expirevar: ignored,
  setuid: ignored,
  setsid: ignored,
  sanitisearg: ignored,
  sanitisematched: ignored,
  sanitisematchedbytes: ignored,
  sanitiserequestheader: ignored,
  sanitiseresponseheader: ignored,
  append: ignored,
  prepend: ignored,
  exec: ignored,
  deprecatevar: ignored,
  xmlns: ignored,
} satisfies Record<string, ActionFactory>;
