/**
 * Go's `regexp` as the template functions use it: unanchored RE2 patterns (`match`, `reReplaceAll`), and
 * `ReplaceAllString` with Go's `$1`/`${name}` expansion and empty-match rules. Compiled patterns are cached.
 */
import RE2 from 're2';
import { re2Source } from '../model/index.ts';
import { goQuote } from './value.ts';

const cache = new Map<string, RE2>();
const cacheLimit = 256;

/** Compiles a Go pattern (unanchored). Throws an Error worded like Go's for an invalid one. */
export function compileGoRegexp(pattern: string): RE2 {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const translated = re2Source(pattern);
  let re: RE2;
  try {
    if (typeof translated === 'string') throw new Error(translated);
    re = new RE2(translated.source, 'gu');
  } catch (err) {
    throw new Error(`error parsing regexp: ${(err as Error).message}: ${goQuote(pattern).slice(1, -1)}`);
  }
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, re);
  return re;
}

/** Go's `regexp.MatchString(pattern, s)`: whether s contains a match. */
export function matchString(pattern: string, s: string): boolean {
  const re = compileGoRegexp(pattern);
  re.lastIndex = 0;
  return re.exec(s) !== null;
}

/** Go's `regexp.MustCompile(pattern).ReplaceAllString(src, repl)`. */
export function replaceAllString(pattern: string, src: string, repl: string): string {
  const re = compileGoRegexp(pattern);
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (m === null) break;
    const start = m.index;
    const end = start + (m[0] as string).length;
    out += src.slice(lastMatchEnd, start);
    // No replacement for an empty match right after a previous match.
    if (end > lastMatchEnd || start === 0) out += expand(repl, m);
    lastMatchEnd = end;
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 1 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return out + src.slice(lastMatchEnd);
}

/** Go's `Regexp.Expand` of a replacement template for one match. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  let t = template;
  for (;;) {
    const i = t.indexOf('$');
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i);
    if (t[1] === '$') {
      out += '$';
      t = t.slice(2);
      continue;
    }
    const ref = /^\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/.exec(t);
    if (ref === null) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    t = t.slice(ref[0].length);
    const name = (ref[1] ?? ref[2]) as string;
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
  }
  return out + t;
}
