import { simple } from './types.ts';

/**
 * Normalises a command line: drops `\ " ' ^`, drops blanks before `/` and `(`, turns `,` `;` and blanks
 * into single spaces, lowercases.
 */
export const cmdLine = simple((s) => {
  let out = '';
  let space = false;
  for (let i = 0; i < s.length; i++) {
    let c = s[i] as string;
    if (c === '\\' || c === '"' || c === "'" || c === '^') continue;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === ',' || c === ';') {
      if (!space) {
        out += ' ';
        space = true;
      }
      continue;
    }
    if ((c === '/' || c === '(') && space) out = out.slice(0, -1);
    space = false;
    if (c >= 'A' && c <= 'Z') c = c.toLowerCase();
    out += c;
  }
  return out;
});
