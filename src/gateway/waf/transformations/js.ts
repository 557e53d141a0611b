import { isHex, narrow, simple } from './types.ts';

const single: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decode(s: string, js: boolean): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    const e = s[i + 1];
    if (c !== '\\' || e === undefined) {
      out += c;
      continue;
    }
    if (js && e === 'u' && [2, 3, 4, 5].every((k) => isHex(s[i + k]))) {
      out += narrow(Number.parseInt(s.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (e === 'x' && isHex(s[i + 2]) && isHex(s[i + 3])) {
      out += String.fromCharCode(Number.parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (/[0-7]/.test(e)) {
      let j = i + 1;
      while (j < i + 4 && j < s.length && /[0-7]/.test(s[j] as string)) j++;
      out += String.fromCharCode(Number.parseInt(s.slice(i + 1, j), 8) & 0xff);
      i = j - 1;
    } else if (single[e] !== undefined) {
      out += single[e];
      i++;
    } else {
      out += e;
      i++;
    }
  }
  return out;
}

/** JavaScript escapes: `\uHHHH`, `\xHH`, octal, the single-letter ones, and `\c` for any other c. */
export const jsDecode = simple((s) => decode(s, true));
/** ANSI C escapes, as jsDecode without `\u`. */
export const escapeSeqDecode = simple((s) => decode(s, false));
