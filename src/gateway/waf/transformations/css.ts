import { isHex, narrow, simple } from './types.ts';

/** CSS 2 escapes: `\` and 1–6 hex digits (one blank after them is eaten), `\` newline dropped, `\c` as c. */
export const cssDecode = simple((s) => {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    let j = i + 1;
    while (j < s.length && j < i + 7 && isHex(s[j])) j++;
    if (j > i + 1) {
      out += narrow(Number.parseInt(s.slice(i + 1, j), 16));
      if (s[j] === ' ' || s[j] === '\t' || s[j] === '\n' || s[j] === '\r' || s[j] === '\f') j++;
      i = j - 1;
    } else if (s[i + 1] === '\n') {
      i++;
    } else if (s[i + 1] !== undefined) {
      out += s[i + 1];
      i++;
    }
  }
  return out;
});
