import { detectSqli } from '../libinjection/sqli.ts';
import { detectXss } from '../libinjection/xss.ts';
import { type OperatorFactory, setCaptures } from './types.ts';

/** Inputs up to this long have their result kept (per operator, across transactions: short values repeat). */
const RECENT_MAX_LENGTH = 256;
/** Results kept per operator, all dropped when full. */
const RECENT_MAX = 4096;

/** `detect` memoised for short inputs; null stands for undefined. */
function recent(detect: (input: string) => string | undefined): (input: string) => string | undefined {
  const kept = new Map<string, string | null>();
  return (input) => {
    if (input.length > RECENT_MAX_LENGTH) return detect(input);
    let r = kept.get(input);
    if (r === undefined) {
      r = detect(input) ?? null;
      if (kept.size >= RECENT_MAX) kept.clear();
      kept.set(input, r);
    }
    return r ?? undefined;
  };
}

/** `@detectSQLi`: on a match, TX.0 (with capture) holds the token fingerprint. */
export const detectSQLi: OperatorFactory = () => {
  const detect = recent(detectSqli);
  return (input, ctx) => {
    const fp = detect(input);
    if (fp === undefined) return false;
    ctx.matched = fp;
    if (ctx.capture) setCaptures(ctx.state, [fp]);
    return true;
  };
};

export const detectXSS: OperatorFactory = () => {
  const detect = recent(detectXss);
  return (input, ctx) => {
    if (detect(input) === undefined) return false;
    ctx.matched = input;
    return true;
  };
};
