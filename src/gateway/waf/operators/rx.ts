import { compilePcre } from '../regex.ts';
import { type OperatorFactory, setCaptures } from './types.ts';

/**
 * `@rx`: a PCRE pattern run on RE2 (see regex.ts); with `capture`, fills TX.0–TX.9.
 *
 * RE2 reads UTF-8, and a value is read by hundreds of rules: each distinct value is encoded once per
 * transaction and tested as a Buffer; only a match pays for `exec` on the string (submatches). Measured on
 * our machine with CRS on a benign GET: 1.7 ms → 0.7 ms per request at paranoia level 1, 3.7 → 1.0 at 4.
 */
export const rx: OperatorFactory = (param) => {
  const c = compilePcre(param);
  if (!c.ok) return { error: `cannot compile regex for RE2: ${c.reason}` };
  const re = c.re;
  return (input, ctx) => {
    const cache = ctx.state.utf8Cache;
    let bytes = cache.get(input);
    if (bytes === undefined) {
      bytes = Buffer.from(input, 'utf8');
      if (input.length < 65536) cache.set(input, bytes);
    }
    if (!re.test(bytes)) return false;
    const m = re.exec(input);
    if (m === null) return false;
    ctx.matched = m[0];
    if (ctx.capture) setCaptures(ctx.state, m.slice(0, 10));
    return true;
  };
};
