import { detectSqli } from '../libinjection/sqli.ts';
import { detectXss } from '../libinjection/xss.ts';
import { type OperatorFactory, setCaptures } from './types.ts';

/** `@detectSQLi`: on a match, TX.0 (with capture) holds the token fingerprint. */
export const detectSQLi: OperatorFactory = () => (input, ctx) => {
  const fp = detectSqli(input);
  if (fp === undefined) return false;
  ctx.matched = fp;
  if (ctx.capture) setCaptures(ctx.state, [fp]);
  return true;
};

export const detectXSS: OperatorFactory = () => (input, ctx) => {
  if (detectXss(input) === undefined) return false;
  ctx.matched = input;
  return true;
};
