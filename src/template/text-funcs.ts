/** String functions shared by Prometheus' and Alertmanager's template function maps. */
import { arity, str } from './func-args.ts';

const mapRunes = (s: string, f: (c: string) => string) => {
  let out = '';
  for (const c of s) {
    const m = f(c);
    // Go maps rune by rune: a rune whose case mapping is several runes (ß → SS) stays as it is.
    out += [...m].length === 1 ? m : c;
  }
  return out;
};

/** Go's `strings.ToUpper`. */
export const toUpper = (...args: unknown[]): string => {
  arity('toUpper', args, 1);
  return mapRunes(str(args[0]), (c) => c.toUpperCase());
};

/** Go's `strings.ToLower`. */
export const toLower = (...args: unknown[]): string => {
  arity('toLower', args, 1);
  return mapRunes(str(args[0]), (c) => c.toLowerCase());
};

/** Go's `strings.TrimSpace`. */
export const trimSpace = (...args: unknown[]): string => {
  arity('trimSpace', args, 1);
  return str(args[0]).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
};

const wordChar = /[\p{L}\p{M}\p{N}_]/u;
const letter = /\p{L}/u;

/**
 * Title case as golang.org/x/text/cases does it for English: in each word (a run of letters, marks, digits and
 * `_`; an apostrophe between letters stays inside the word) the first letter is upper-cased (`3rd` → `3Rd`,
 * `don't` → `Don't`, `foo_bar` → `Foo_bar`). With `lowerRest` the word's other letters are lower-cased
 * (Alertmanager's `title`); without it they are kept (`cases.NoLower`).
 */
export function titleCase(s: string, lowerRest: boolean): string {
  const chars = [...s];
  let out = '';
  let inWord = false;
  let letterSeen = false;
  chars.forEach((c, k) => {
    const isWord = wordChar.test(c) || (inWord && c === "'" && wordChar.test(chars[k + 1] ?? ''));
    if (!isWord) letterSeen = false;
    if (isWord && !letterSeen && letter.test(c)) {
      out += mapRunes(c, (x) => x.toUpperCase());
      letterSeen = true;
    } else if (isWord && lowerRest) out += mapRunes(c, (x) => x.toLowerCase());
    else out += c;
    inWord = isWord;
  });
  return out;
}

/** Whether Go's strings.Title treats `c` as a word separator. */
function isSeparator(c: string): boolean {
  if (c.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/**
 * Go's `strings.Title` (Prometheus 2's `title`): upper-cases every letter that follows a separator (anything but
 * ASCII letters, digits and `_`, non-ASCII letters and digits) or starts the text; nothing else changes
 * (`don't` → `Don'T`, `3rd` → `3rd`).
 */
export function goStringsTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? mapRunes(c, (x) => x.toUpperCase()) : c;
    prev = c;
  }
  return out;
}
