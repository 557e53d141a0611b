/** The operator registry: `@name` (lower-cased) to factories. */
import { ipMatch } from './ip.ts';
import { detectSQLi, detectXSS } from './libinjection.ts';
import { geoLookup, noMatch, rbl, unconditionalMatch } from './misc.ts';
import { eq, ge, gt, le, lt } from './numeric.ts';
import { pm, pmFromFile } from './pm.ts';
import { rx } from './rx.ts';
import { beginsWith, contains, containsWord, endsWith, streq, within } from './string.ts';
import type { OperatorFactory } from './types.ts';
import { validateByteRange, validateUrlEncoding, validateUtf8Encoding } from './validate.ts';

export type { CompileEnv, MatchContext, Operator, OperatorFactory } from './types.ts';

export const operators = {
  rx,
  pm,
  pmf: pmFromFile,
  pmfromfile: pmFromFile,
  streq,
  contains,
  containsword: containsWord,
  beginswith: beginsWith,
  endswith: endsWith,
  within,
  eq,
  ge,
  gt,
  le,
  lt,
  ipmatch: ipMatch,
  validatebyterange: validateByteRange,
  validateurlencoding: validateUrlEncoding,
  validateutf8encoding: validateUtf8Encoding,
  detectsqli: detectSQLi,
  detectxss: detectXSS,
  unconditionalmatch: unconditionalMatch,
  nomatch: noMatch,
  geolookup: geoLookup,
  rbl,
} satisfies Record<string, OperatorFactory>;
