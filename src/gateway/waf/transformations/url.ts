import { isHex, narrow, simple } from './types.ts';

function decode(s: string, unicode: boolean): string {
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '+') {
      out += ' ';
      continue;
    }
    if (c === '%') {
      if (unicode && (s[i + 1] === 'u' || s[i + 1] === 'U') && [2, 3, 4, 5].every((k) => isHex(s[i + k]))) {
        out += narrow(Number.parseInt(s.slice(i + 2, i + 6), 16));
        i += 5;
        continue;
      }
      if (isHex(s[i + 1]) && isHex(s[i + 2])) {
        out += String.fromCharCode(Number.parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** `%XX` and `+`; invalid escapes stay as written. */
export const urlDecode = simple((s) => decode(s, false));
/** As urlDecode, plus IIS-style `%uHHHH`. */
export const urlDecodeUni = simple((s) => decode(s, true));
export const urlEncode = simple((s) =>
  s.replace(/[^A-Za-z0-9*\-._ ]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/ /g, '+'),
);
