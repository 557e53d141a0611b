import type { Pair } from '../state.ts';
import { urlDecode } from '../transformations/url.ts';
import type { BodyProcessor } from './types.ts';

/** Splits `a=1&b=2` into decoded pairs; a piece without `=` is a name with an empty value. */
export function parseQuery(text: string, separator: string, limit: number): Pair[] {
  const out: Pair[] = [];
  if (text === '') return out;
  for (const piece of text.split(separator)) {
    if (piece === '') continue;
    if (out.length >= limit) break;
    const eq = piece.indexOf('=');
    const key = eq < 0 ? piece : piece.slice(0, eq);
    const value = eq < 0 ? '' : piece.slice(eq + 1);
    out.push({ key: urlDecode(key).value, value: urlDecode(value).value });
  }
  return out;
}

export const urlencoded: BodyProcessor = (body, _ct, s, limits) => {
  s.member('ARGS_POST').push(...parseQuery(body, limits.argumentSeparator, limits.argumentsLimit));
  return undefined;
};
